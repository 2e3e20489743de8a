/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** How an input is validated. */
export type ApplicationInputKind =
  /** One of the input's options. */
  | 'CHOICE'
  /** YYYY-MM-DD. */
  | 'DATE'
  /** A 5-digit KBLI 2020 business classification code. */
  | 'KBLI'
  | 'KK_NUMBER'
  | 'NIB'
  | 'NIK'
  | 'NPWP'
  | 'PASSPORT_NUMBER'
  | 'PLATE_NUMBER'
  | 'STRING';

/** One value entered at the counter. Dates are YYYY-MM-DD; identifiers as printed (spaces and dots allowed). */
export type ApplicationInputValue = {
  name: string;
  value: string;
};

/**
 * Derived from the tasks: SUBMITTED while no participant has reported yet; IN_PROGRESS once one has
 * and some task is still open; when every task is decided, COMPLETED (all approved), REJECTED (none
 * approved) or PARTIALLY_REJECTED (some approved, some rejected or cancelled).
 */
export type ApplicationStatus =
  /** Every agency task was approved. */
  | 'COMPLETED'
  /** At least one agency task is under way. */
  | 'IN_PROGRESS'
  /** Some agency tasks were approved and some rejected. */
  | 'PARTIALLY_REJECTED'
  /** Rejected: no agency task was approved. */
  | 'REJECTED'
  /** Filed, no agency has started on it yet. */
  | 'SUBMITTED';

export type ApplicationTaskStatus =
  | 'APPROVED'
  /** Released to the participant; its SLA runs. */
  | 'ASSIGNED'
  /** Will not run: a step it depends on was rejected. */
  | 'CANCELLED'
  /** The participant is working on it. */
  | 'IN_REVIEW'
  /** Waiting for the steps it depends on. */
  | 'PENDING'
  /** The participant acknowledged it. */
  | 'RECEIVED'
  | 'REJECTED';

export type ApplicationTimelineEntryKind =
  /** A task passed its due time undecided. */
  | 'SLA_BREACHED'
  /** The application's status changed. */
  | 'STATUS_CHANGED'
  /** Filed at the counter. */
  | 'SUBMITTED'
  /** A task was released to its participant. */
  | 'TASK_ASSIGNED'
  /** A task will not run because a step it depends on was rejected. */
  | 'TASK_CANCELLED'
  /** A participant reported on its task. */
  | 'TASK_STATUS';

export type AuditActorType =
  /** No signed caller: a deployment without identity configured. */
  | 'ANONYMOUS'
  /** A system with its own credentials (agency, BUMN, bank). */
  | 'CLIENT'
  /** A person signed in (officer, citizen, auditor). */
  | 'USER';

export type BusinessStatus =
  | 'ACTIVE'
  | 'REVOKED'
  | 'SUSPENDED';

export type DataAccessKind =
  | 'CHANGE'
  | 'READ';

export type FamilyRelationship =
  | 'CHILD'
  | 'HEAD'
  | 'OTHER'
  | 'PARENT'
  | 'SPOUSE';

export type MaritalStatus =
  | 'DIVORCED'
  | 'MARRIED'
  | 'SINGLE'
  | 'WIDOWED';

export type PassportStatus =
  | 'EXPIRED'
  | 'LOST'
  /** Superseded by a newer passport issued on a replacement application (see replacedBy). */
  | 'REPLACED'
  | 'REVOKED'
  | 'VALID';

export type Sex =
  | 'FEMALE'
  | 'MALE';

/** SIM classes: A cars up to 3.5 t, B1/B2 heavier vehicles and towing, C motorcycles, D drivers with disabilities. */
export type SimClass =
  | 'A'
  | 'B1'
  | 'B2'
  | 'C'
  | 'D';

export type SubmitApplicationInput = {
  /** The applicant's 16-digit NIK. */
  applicantNik: string;
  /** The values of the type's inputs (ApplicationTypeDefinition.inputs), one per name; optional ones may be left out. */
  inputs: Array<ApplicationInputValue>;
  /** The MPP where it is filed, e.g. MPP Banyuwangi. */
  mppOffice: string;
  /** An application type code of Query.serviceCatalog, e.g. BUSINESS_START. */
  type: string;
};

export type TaxBillStatus =
  /** Unpaid after its due date. */
  | 'OVERDUE'
  | 'PAID'
  | 'UNPAID';

export type UnifiedProfileQueryVariables = Exact<{
  nik: string;
}>;


export type UnifiedProfileQuery = { citizen: { nik: string, fullName: string, birthPlace: string, birthDate: string, sex: Sex, maritalStatus: MaritalStatus, occupation: string, diedOn: string | null, npwp: string | null, address: { street: string, rt: string, rw: string, village: string, district: { name: string }, regency: { name: string }, province: { name: string } }, familyCard: { number: string, members: Array<{ nik: string, fullName: string, relationship: FamilyRelationship }> } | null, propertyTaxBills: Array<{ nop: string, year: number, amount: number, status: TaxBillStatus }> | null, businesses: Array<{ nib: string, name: string, kbli: string, status: BusinessStatus }> | null, passports: Array<{ number: string, status: PassportStatus, expiresOn: string }> | null, drivingLicences: Array<{ number: string, class: SimClass, expiresOn: string }> | null, vehicles: Array<{ plateNumber: string, brand: string, model: string, stnkExpiresOn: string }> | null, marriages: Array<{ id: string, registeredAt: string, kuaOffice: string, spouse: { nik: string, fullName: string } | null }> | null, applications: Array<{ id: string, type: string, status: ApplicationStatus, submittedAt: string, slaBreached: boolean }> | null } | null };

export type ServiceCatalogQueryVariables = Exact<{ [key: string]: never; }>;


export type ServiceCatalogQuery = { serviceCatalog: Array<{ code: string, title: string, description: string, slaHours: number, inputs: Array<{ name: string, label: string, kind: ApplicationInputKind, required: boolean, options: Array<string> | null, maxLength: number | null, notInFuture: boolean | null }>, steps: Array<{ id: string, title: string, taskKind: string, dependsOn: Array<string>, slaHours: number, participant: { code: string, name: string } }> }> };

export type SubmitApplicationMutationVariables = Exact<{
  input: SubmitApplicationInput;
}>;


export type SubmitApplicationMutation = { submitApplication: { id: string } };

export type ApplicationQueryVariables = Exact<{
  id: string | number;
}>;


export type ApplicationQuery = { application: { id: string, type: string, status: ApplicationStatus, submittedAt: string, mppOffice: string, slaBreached: boolean, applicant: { nik: string, fullName: string }, tasks: Array<{ id: string, stepId: string, participant: string, participantName: string | null, taskKind: string, status: ApplicationTaskStatus, dueAt: string | null, completedAt: string | null, slaBreached: boolean, reason: string | null, documents: Array<{ kind: string, number: string }> }>, timeline: Array<{ sequence: string, occurredAt: string, kind: ApplicationTimelineEntryKind, participant: string | null, taskStatus: ApplicationTaskStatus | null, applicationStatus: ApplicationStatus | null, reason: string | null, documents: Array<{ kind: string, number: string }> | null }> } | null };

export type MyDataQueryVariables = Exact<{
  nik: string;
}>;


export type MyDataQuery = { citizen: { nik: string, fullName: string, birthPlace: string, birthDate: string, address: { street: string, village: string, regency: { name: string } }, applications: Array<{ id: string, type: string, status: ApplicationStatus, submittedAt: string, slaBreached: boolean }> | null } | null };

export type MyDataAccessLogQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type MyDataAccessLogQuery = { myDataAccessLog: { nextCursor: string | null, entries: Array<{ at: string, service: string, actorType: AuditActorType, client: string, purpose: string | null, fields: Array<string>, kind: DataAccessKind }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const UnifiedProfileDocument = new TypedDocumentString(`
    query UnifiedProfile($nik: String!) {
  citizen(nik: $nik) {
    nik
    fullName
    birthPlace
    birthDate
    sex
    maritalStatus
    occupation
    diedOn
    address {
      street
      rt
      rw
      village
      district {
        name
      }
      regency {
        name
      }
      province {
        name
      }
    }
    familyCard {
      number
      members {
        nik
        fullName
        relationship
      }
    }
    npwp
    propertyTaxBills {
      nop
      year
      amount
      status
    }
    businesses {
      nib
      name
      kbli
      status
    }
    passports {
      number
      status
      expiresOn
    }
    drivingLicences {
      number
      class
      expiresOn
    }
    vehicles {
      plateNumber
      brand
      model
      stnkExpiresOn
    }
    marriages {
      id
      registeredAt
      kuaOffice
      spouse {
        nik
        fullName
      }
    }
    applications {
      id
      type
      status
      submittedAt
      slaBreached
    }
  }
}
    `) as unknown as TypedDocumentString<UnifiedProfileQuery, UnifiedProfileQueryVariables>;
export const ServiceCatalogDocument = new TypedDocumentString(`
    query ServiceCatalog {
  serviceCatalog {
    code
    title
    description
    slaHours
    inputs {
      name
      label
      kind
      required
      options
      maxLength
      notInFuture
    }
    steps {
      id
      title
      participant {
        code
        name
      }
      taskKind
      dependsOn
      slaHours
    }
  }
}
    `) as unknown as TypedDocumentString<ServiceCatalogQuery, ServiceCatalogQueryVariables>;
export const SubmitApplicationDocument = new TypedDocumentString(`
    mutation SubmitApplication($input: SubmitApplicationInput!) {
  submitApplication(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<SubmitApplicationMutation, SubmitApplicationMutationVariables>;
export const ApplicationDocument = new TypedDocumentString(`
    query Application($id: ID!) {
  application(id: $id) {
    id
    type
    status
    submittedAt
    mppOffice
    slaBreached
    applicant {
      nik
      fullName
    }
    tasks {
      id
      stepId
      participant
      participantName
      taskKind
      status
      dueAt
      completedAt
      slaBreached
      reason
      documents {
        kind
        number
      }
    }
    timeline {
      sequence
      occurredAt
      kind
      participant
      taskStatus
      applicationStatus
      reason
      documents {
        kind
        number
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ApplicationQuery, ApplicationQueryVariables>;
export const MyDataDocument = new TypedDocumentString(`
    query MyData($nik: String!) {
  citizen(nik: $nik) {
    nik
    fullName
    birthPlace
    birthDate
    address {
      street
      village
      regency {
        name
      }
    }
    applications {
      id
      type
      status
      submittedAt
      slaBreached
    }
  }
}
    `) as unknown as TypedDocumentString<MyDataQuery, MyDataQueryVariables>;
export const MyDataAccessLogDocument = new TypedDocumentString(`
    query MyDataAccessLog($after: String) {
  myDataAccessLog(first: 20, after: $after) {
    entries {
      at
      service
      actorType
      client
      purpose
      fields
      kind
    }
    nextCursor
  }
}
    `) as unknown as TypedDocumentString<MyDataAccessLogQuery, MyDataAccessLogQueryVariables>;