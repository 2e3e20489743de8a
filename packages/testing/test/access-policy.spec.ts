import { join } from 'node:path';
import { describeSubgraphAccess, loadTypeDefs, type AccessFieldDescription } from '@simpul/service-kit';
import { CONTRACT_AGENCIES, CONTRACT_BUMN_AND_BANKS, contractCallers, type MatrixCaller } from '../src/access-matrix';
import { REPO_ROOT } from '../src/stack';

// The access policy of issue 4 as invariants over every subgraph's SDL (what each service's
// access-matrix test then proves the subgraph enforces, role by role and field by field).
const ANNOTATED_SUBGRAPHS = ['dukcapil', 'licensing', 'tax', 'immigration', 'police', 'religious-affairs', 'applications'] as const;

interface DeclaredField extends AccessFieldDescription {
  subgraph: string;
  name: string;
}

const fields: DeclaredField[] = ANNOTATED_SUBGRAPHS.flatMap((subgraph) =>
  describeSubgraphAccess(loadTypeDefs(join(REPO_ROOT, 'services', subgraph, 'src', 'modules'))).flatMap((type) =>
    type.fields.map((field) => ({ ...field, subgraph, name: `${type.name}.${field.fieldName}` })),
  ),
);

/** Whether any entry of the field's rule lets the caller in (`self` counted for citizens: it is their own data). */
function grants(field: AccessFieldDescription, caller: MatrixCaller): boolean {
  return (field.roles ?? []).some((entry) => {
    if (entry === '*') return true;
    if (entry === 'self') return caller.citizen !== undefined;
    if (entry.endsWith(':*')) return caller.roles.some((role) => role.startsWith(entry.slice(0, -1)));
    return caller.roles.includes(entry);
  });
}

const callers = contractCallers();
const callerNamed = (name: string) => callers.find((caller) => caller.name === name)!;
const personalGrantedTo = (caller: MatrixCaller) => fields.filter((field) => field.personal && grants(field, caller)).map((field) => `${field.subgraph} ${field.name}`);
const IDENTITY_BASICS = ['nik', 'fullName', 'birthPlace', 'birthDate', 'sex', 'diedOn'].map((name) => `dukcapil Citizen.${name}`);
const VERIFICATION = ['Query.verifyCitizen', ...['registered', 'fullNameMatches', 'birthDateMatches', 'birthPlaceMatches', 'familyCardNumberMatches', 'addressRegencyMatches'].map((name) => `CitizenVerification.${name}`)].map((name) => `dukcapil ${name}`);
const NIK_KEYS = ANNOTATED_SUBGRAPHS.filter((subgraph) => subgraph !== 'dukcapil').map((subgraph) => `${subgraph} Citizen.nik`);

describe('the access policy declared in the SDLs', () => {
  it('gives every field of every subgraph an @access rule (none is refused to everyone by omission)', () => {
    expect(fields.length).toBeGreaterThan(150);
    expect(fields.filter((field) => !field.roles).map((field) => `${field.subgraph} ${field.name}`)).toEqual([]);
  });

  it('marks every field of a person record, and every field about a citizen, as personal data', () => {
    const personTypes = new Set(fields.filter((field) => field.fieldName === 'nik').map((field) => `${field.subgraph} ${field.typeName}`));
    expect([...personTypes].sort()).toEqual(
      ['dukcapil Citizen', 'dukcapil FamilyMember', ...ANNOTATED_SUBGRAPHS.filter((s) => s !== 'dukcapil').map((s) => `${s} Citizen`)].sort(),
    );
    expect(fields.filter((field) => personTypes.has(`${field.subgraph} ${field.typeName}`) && !field.personal).map((field) => field.name)).toEqual([]);
    // Not personal: the catalogue of services and Kemendagri's region names.
    expect([...new Set(fields.filter((field) => !field.personal).map((field) => field.typeName))].sort()).toEqual([
      'ApplicationInputDefinition',
      'ApplicationStepDefinition',
      'ApplicationTypeDefinition',
      'MppParticipant',
      'Query',
      'Region',
    ]);
    expect(fields.filter((field) => field.typeName === 'Query' && !field.personal).map((field) => field.name)).toEqual(['Query.serviceCatalog']);
  });

  it('gives banks and BUMN no personal field at all, only verifyCitizen’s yes/no answers', () => {
    for (const code of CONTRACT_BUMN_AND_BANKS) {
      const caller = callers.find((candidate) => candidate.roles.join() === `participant:${code}`)!;
      expect(personalGrantedTo(caller)).toEqual(VERIFICATION);
    }
  });

  it('gives auditors, admins and integrators nothing personal (auditors read the audit log instead)', () => {
    for (const name of ['auditor', 'admin', 'integrator-demo']) expect([name, personalGrantedTo(callerNamed(name))]).toEqual([name, []]);
  });

  it('gives each agency its own subgraph, the identity basics, verifyCitizen, and only the listed extras', () => {
    const extras: Record<(typeof CONTRACT_AGENCIES)[number], string[]> = {
      dukcapil: [],
      licensing: [],
      tax: [],
      immigration: [],
      // STNK validation reads whether this year's PKB is paid, and by when.
      police: ['tax Query.vehicleTax', 'tax VehicleTax.plateNumber', 'tax VehicleTax.dueOn', 'tax VehicleTax.status', 'tax Vehicle.plateNumber', 'tax Vehicle.taxDue'],
      // The KUA checks both spouses' religion, marital status and the kecamatan of their address.
      'religious-affairs': [
        'dukcapil Citizen.religion',
        'dukcapil Citizen.maritalStatus',
        'dukcapil Citizen.address',
        ...['street', 'rt', 'rw', 'village', 'district', 'regency', 'province', 'postalCode'].map((name) => `dukcapil Address.${name}`),
      ],
    };
    for (const code of CONTRACT_AGENCIES) {
      const granted = personalGrantedTo(callerNamed(`agency-${code}`));
      const elsewhere = granted.filter((field) => !field.startsWith(`${code} `));
      const expected = [...new Set([...IDENTITY_BASICS, 'dukcapil Query.citizen', ...VERIFICATION, ...NIK_KEYS, ...extras[code]])].filter((field) => !field.startsWith(`${code} `));
      expect([code, elsewhere.sort()]).toEqual([code, expected.sort()]);
      // …and everything of its own subgraph that is about citizens, except the counter's applications.
      if (code !== 'dukcapil') expect(granted.filter((field) => field.startsWith(`${code} `)).length).toBeGreaterThan(3);
    }
  });

  it('lets only the counter change anything', () => {
    const mutations = fields.filter((field) => field.typeName === 'Mutation');
    expect(mutations.map((field) => field.name)).toEqual(['Mutation.submitApplication']);
    for (const field of mutations) expect([field.name, field.roles]).toEqual([field.name, ['officer', 'supervisor']]);
  });

  it('gives the counter the citizen’s profile: identity, address, family card, businesses, NPWP, PBB, passports’ status, SIM, vehicles, marriages, applications', () => {
    const officer = new Set(personalGrantedTo(callerNamed('petugas (officer)')));
    for (const field of [
      'dukcapil Citizen.fullName',
      'dukcapil Citizen.address',
      'dukcapil Citizen.familyCard',
      'licensing Citizen.businesses',
      'tax Citizen.npwp',
      'immigration Citizen.passports',
      'immigration Passport.status',
      'police Citizen.vehicles',
      // The MPP counter renews SIMs, takes PBB payments and serves marriage paperwork.
      'police Citizen.drivingLicences',
      'tax Citizen.propertyTaxBills',
      'religious-affairs Citizen.marriages',
      'applications Citizen.applications',
      'applications Mutation.submitApplication',
    ]) {
      expect([field, officer.has(field)]).toEqual([field, true]);
    }
    for (const field of ['immigration Passport.issuingOffice', 'dukcapil Query.verifyCitizen']) {
      expect([field, officer.has(field)]).toEqual([field, false]);
    }
  });
});
