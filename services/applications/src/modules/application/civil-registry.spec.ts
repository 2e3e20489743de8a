import { DomainError, GatewayQueryError } from '@simpul/service-kit';
import { DEFAULT_SERVICE_CATALOGUE_PATH, loadServiceCatalogue } from '../catalogue/service-catalogue';
import { checkApplicationCitizens, type CivilRegistry, type RegisteredCitizen } from './civil-registry';

const catalogue = loadServiceCatalogue(DEFAULT_SERVICE_CATALOGUE_PATH);
const marriage = catalogue.applicationTypes.get('MARRIAGE_REGISTRATION')!;
const NOW = new Date('2026-03-02T03:00:00Z');
const GROOM: RegisteredCitizen = { nik: '3510010502900001', birthDate: '1990-02-05', diedOn: null };
const BRIDE: RegisteredCitizen = { nik: '3510015407920002', birthDate: '1992-07-14', diedOn: null };

/** Dukcapil's answer for these citizens (what the gateway query returns), and the NIKs it was asked. */
function registryOf(...citizens: RegisteredCitizen[]): CivilRegistry & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    async lookUp(niks) {
      asked.push([...niks]);
      return new Map(citizens.filter((c) => niks.includes(c.nik)).map((c) => [c.nik, c]));
    },
    familyMembers: async () => [],
  };
}

async function problemsOf(registry: CivilRegistry, groomNik: string, brideNik: string) {
  try {
    await checkApplicationCitizens(registry, marriage, { applicantNik: groomNik, values: { groomNik, brideNik, marriageDate: '2026-04-10' } }, NOW);
    return [];
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== 'BAD_USER_INPUT') throw error;
    return (error.details.problems as { field: string; rule: string }[]).map((p) => [p.field, p.rule]);
  }
}

describe('checkApplicationCitizens', () => {
  it('accepts registered, living citizens of age, asking Dukcapil once for every NIK', async () => {
    const registry = registryOf(GROOM, BRIDE);
    expect(await problemsOf(registry, GROOM.nik, BRIDE.nik)).toEqual([]);
    expect(registry.asked).toEqual([[GROOM.nik, BRIDE.nik]]);
  });

  it('refuses a NIK Dukcapil does not know, on every field that names it', async () => {
    expect(await problemsOf(registryOf(BRIDE), GROOM.nik, BRIDE.nik)).toEqual([
      ['applicantNik', 'NIK_NOT_REGISTERED'],
      ['inputs.groomNik', 'NIK_NOT_REGISTERED'],
    ]);
  });

  it('refuses the dead and the too young (a bride under 19)', async () => {
    expect(await problemsOf(registryOf(GROOM, { ...BRIDE, diedOn: '2025-12-01' }), GROOM.nik, BRIDE.nik)).toEqual([['inputs.brideNik', 'CITIZEN_DECEASED']]);
    // 19 the day after filing: still 18.
    expect(await problemsOf(registryOf(GROOM, { ...BRIDE, birthDate: '2007-03-03' }), GROOM.nik, BRIDE.nik)).toEqual([['inputs.brideNik', 'CITIZEN_UNDER_AGE']]);
    expect(await problemsOf(registryOf(GROOM, { ...BRIDE, birthDate: '2007-03-02' }), GROOM.nik, BRIDE.nik)).toEqual([]);
  });

  it('files nothing unchecked when Dukcapil cannot be asked (SERVICE_UNAVAILABLE)', async () => {
    const down: CivilRegistry = {
      lookUp: () => Promise.reject(new GatewayQueryError('gateway http://127.0.0.1:1/graphql unreachable')),
      familyMembers: () => Promise.reject(new GatewayQueryError('gateway http://127.0.0.1:1/graphql unreachable')),
    };
    await expect(problemsOf(down, GROOM.nik, BRIDE.nik)).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: { rule: 'CIVIL_REGISTRY_UNAVAILABLE' } });
  });
});
