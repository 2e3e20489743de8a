import { graphql } from './gql';

export const UnifiedProfileQuery = graphql(`
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
        district { name }
        regency { name }
        province { name }
      }
      familyCard {
        number
        members { nik fullName relationship }
      }
      npwp
      propertyTaxBills { nop year amount status }
      businesses { nib name kbli status }
      passports { number status expiresOn }
      drivingLicences { number class expiresOn }
      vehicles { plateNumber brand model stnkExpiresOn }
      marriages { id registeredAt kuaOffice spouse { nik fullName } }
      applications { id type status submittedAt slaBreached }
    }
  }
`);

export const ServiceCatalogQuery = graphql(`
  query ServiceCatalog {
    serviceCatalog {
      code
      title
      description
      slaHours
      inputs { name label kind required options maxLength notInFuture }
      steps { id title participant { code name } taskKind dependsOn slaHours }
    }
  }
`);

export const SubmitApplicationMutation = graphql(`
  mutation SubmitApplication($input: SubmitApplicationInput!) {
    submitApplication(input: $input) { id }
  }
`);

export const ApplicationQuery = graphql(`
  query Application($id: ID!) {
    application(id: $id) {
      id
      type
      status
      submittedAt
      mppOffice
      slaBreached
      applicant { nik fullName }
      tasks { id stepId participant participantName taskKind status dueAt completedAt slaBreached reason documents { kind number } }
      timeline { sequence occurredAt kind participant taskStatus applicationStatus reason documents { kind number } }
    }
  }
`);

export const MyDataQuery = graphql(`
  query MyData($nik: String!) {
    citizen(nik: $nik) {
      nik
      fullName
      birthPlace
      birthDate
      address { street village regency { name } }
      applications { id type status submittedAt slaBreached }
    }
  }
`);

export const MyDataAccessLogQuery = graphql(`
  query MyDataAccessLog($after: String) {
    myDataAccessLog(first: 20, after: $after) {
      entries { at service actorType client purpose fields kind }
      nextCursor
    }
  }
`);
