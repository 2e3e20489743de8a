/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query UnifiedProfile($nik: String!) {\n    citizen(nik: $nik) {\n      nik\n      fullName\n      birthPlace\n      birthDate\n      sex\n      maritalStatus\n      occupation\n      diedOn\n      address {\n        street\n        rt\n        rw\n        village\n        district { name }\n        regency { name }\n        province { name }\n      }\n      familyCard {\n        number\n        members { nik fullName relationship }\n      }\n      npwp\n      propertyTaxBills { nop year amount status }\n      businesses { nib name kbli status }\n      passports { number status expiresOn }\n      drivingLicences { number class expiresOn }\n      vehicles { plateNumber brand model stnkExpiresOn }\n      marriages { id registeredAt kuaOffice spouse { nik fullName } }\n      applications { id type status submittedAt slaBreached }\n    }\n  }\n": typeof types.UnifiedProfileDocument,
    "\n  query ServiceCatalog {\n    serviceCatalog {\n      code\n      title\n      description\n      slaHours\n      inputs { name label kind required options maxLength notInFuture }\n      steps { id title participant { code name } taskKind dependsOn slaHours }\n    }\n  }\n": typeof types.ServiceCatalogDocument,
    "\n  mutation SubmitApplication($input: SubmitApplicationInput!) {\n    submitApplication(input: $input) { id }\n  }\n": typeof types.SubmitApplicationDocument,
    "\n  query Application($id: ID!) {\n    application(id: $id) {\n      id\n      type\n      status\n      submittedAt\n      mppOffice\n      slaBreached\n      applicant { nik fullName }\n      tasks { id stepId participant participantName taskKind status dueAt completedAt slaBreached reason documents { kind number } }\n      timeline { sequence occurredAt kind participant taskStatus applicationStatus reason documents { kind number } }\n    }\n  }\n": typeof types.ApplicationDocument,
    "\n  query MyData($nik: String!) {\n    citizen(nik: $nik) {\n      nik\n      fullName\n      birthPlace\n      birthDate\n      address { street village regency { name } }\n      applications { id type status submittedAt slaBreached }\n    }\n  }\n": typeof types.MyDataDocument,
    "\n  query MyDataAccessLog($after: String) {\n    myDataAccessLog(first: 20, after: $after) {\n      entries { at service actorType client purpose fields kind }\n      nextCursor\n    }\n  }\n": typeof types.MyDataAccessLogDocument,
};
const documents: Documents = {
    "\n  query UnifiedProfile($nik: String!) {\n    citizen(nik: $nik) {\n      nik\n      fullName\n      birthPlace\n      birthDate\n      sex\n      maritalStatus\n      occupation\n      diedOn\n      address {\n        street\n        rt\n        rw\n        village\n        district { name }\n        regency { name }\n        province { name }\n      }\n      familyCard {\n        number\n        members { nik fullName relationship }\n      }\n      npwp\n      propertyTaxBills { nop year amount status }\n      businesses { nib name kbli status }\n      passports { number status expiresOn }\n      drivingLicences { number class expiresOn }\n      vehicles { plateNumber brand model stnkExpiresOn }\n      marriages { id registeredAt kuaOffice spouse { nik fullName } }\n      applications { id type status submittedAt slaBreached }\n    }\n  }\n": types.UnifiedProfileDocument,
    "\n  query ServiceCatalog {\n    serviceCatalog {\n      code\n      title\n      description\n      slaHours\n      inputs { name label kind required options maxLength notInFuture }\n      steps { id title participant { code name } taskKind dependsOn slaHours }\n    }\n  }\n": types.ServiceCatalogDocument,
    "\n  mutation SubmitApplication($input: SubmitApplicationInput!) {\n    submitApplication(input: $input) { id }\n  }\n": types.SubmitApplicationDocument,
    "\n  query Application($id: ID!) {\n    application(id: $id) {\n      id\n      type\n      status\n      submittedAt\n      mppOffice\n      slaBreached\n      applicant { nik fullName }\n      tasks { id stepId participant participantName taskKind status dueAt completedAt slaBreached reason documents { kind number } }\n      timeline { sequence occurredAt kind participant taskStatus applicationStatus reason documents { kind number } }\n    }\n  }\n": types.ApplicationDocument,
    "\n  query MyData($nik: String!) {\n    citizen(nik: $nik) {\n      nik\n      fullName\n      birthPlace\n      birthDate\n      address { street village regency { name } }\n      applications { id type status submittedAt slaBreached }\n    }\n  }\n": types.MyDataDocument,
    "\n  query MyDataAccessLog($after: String) {\n    myDataAccessLog(first: 20, after: $after) {\n      entries { at service actorType client purpose fields kind }\n      nextCursor\n    }\n  }\n": types.MyDataAccessLogDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UnifiedProfile($nik: String!) {\n    citizen(nik: $nik) {\n      nik\n      fullName\n      birthPlace\n      birthDate\n      sex\n      maritalStatus\n      occupation\n      diedOn\n      address {\n        street\n        rt\n        rw\n        village\n        district { name }\n        regency { name }\n        province { name }\n      }\n      familyCard {\n        number\n        members { nik fullName relationship }\n      }\n      npwp\n      propertyTaxBills { nop year amount status }\n      businesses { nib name kbli status }\n      passports { number status expiresOn }\n      drivingLicences { number class expiresOn }\n      vehicles { plateNumber brand model stnkExpiresOn }\n      marriages { id registeredAt kuaOffice spouse { nik fullName } }\n      applications { id type status submittedAt slaBreached }\n    }\n  }\n"): typeof import('./graphql').UnifiedProfileDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ServiceCatalog {\n    serviceCatalog {\n      code\n      title\n      description\n      slaHours\n      inputs { name label kind required options maxLength notInFuture }\n      steps { id title participant { code name } taskKind dependsOn slaHours }\n    }\n  }\n"): typeof import('./graphql').ServiceCatalogDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SubmitApplication($input: SubmitApplicationInput!) {\n    submitApplication(input: $input) { id }\n  }\n"): typeof import('./graphql').SubmitApplicationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Application($id: ID!) {\n    application(id: $id) {\n      id\n      type\n      status\n      submittedAt\n      mppOffice\n      slaBreached\n      applicant { nik fullName }\n      tasks { id stepId participant participantName taskKind status dueAt completedAt slaBreached reason documents { kind number } }\n      timeline { sequence occurredAt kind participant taskStatus applicationStatus reason documents { kind number } }\n    }\n  }\n"): typeof import('./graphql').ApplicationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyData($nik: String!) {\n    citizen(nik: $nik) {\n      nik\n      fullName\n      birthPlace\n      birthDate\n      address { street village regency { name } }\n      applications { id type status submittedAt slaBreached }\n    }\n  }\n"): typeof import('./graphql').MyDataDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyDataAccessLog($after: String) {\n    myDataAccessLog(first: 20, after: $after) {\n      entries { at service actorType client purpose fields kind }\n      nextCursor\n    }\n  }\n"): typeof import('./graphql').MyDataAccessLogDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
