import type { World } from './types';
import { generateWorld } from './world-generator';

const today = '2026-01-01';

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}

function isAdult(birthDate: string): boolean {
  return birthDate <= '2009-01-01';
}

describe('generateWorld', () => {
  let world: World;
  beforeAll(() => {
    world = generateWorld();
  });

  describe('determinism', () => {
    it('gives a deep-equal world for the same options', () => {
      expect(generateWorld({ citizens: 300, seed: 99 })).toEqual(generateWorld({ citizens: 300, seed: 99 }));
      expect(generateWorld()).toEqual(world);
    });

    it('gives a different world for a different seed', () => {
      const other = generateWorld({ seed: 1 });
      expect(other.seed).toBe(1);
      expect(other.citizens.map((citizen) => citizen.nik)).not.toEqual(world.citizens.map((citizen) => citizen.nik));
    });

    it('uses the documented defaults', () => {
      expect(world.seed).toBe(20171006);
      expect(world.citizens).toHaveLength(2000);
    });
  });

  it('refuses too few citizens or a malformed today', () => {
    expect(() => generateWorld({ citizens: 5 })).toThrow(RangeError);
    expect(() => generateWorld({ citizens: 12.5 })).toThrow(RangeError);
    expect(() => generateWorld({ today: '01-01-2026' })).toThrow(RangeError);
    expect(() => generateWorld({ today: '2026-02-30' })).toThrow(RangeError);
  });

  describe('population', () => {
    it('spreads people over all six MPP regencies', () => {
      expect(world.regencies.map((regency) => regency.name)).toEqual(['Siak', 'Banyuwangi', 'Badung', 'Lahat', 'Pasangkayu', 'Kota Bogor']);
      const regencies = new Set(world.citizens.map((citizen) => citizen.address.regencyCode));
      expect(regencies.size).toBe(6);
    });

    it('makes Badung mostly Hindu and Balinese-named, and Kota Bogor mostly Muslim', () => {
      const badung = world.citizens.filter((citizen) => citizen.address.regencyName === 'Badung');
      const hindu = badung.filter((citizen) => citizen.religion === 'HINDU');
      expect(hindu.length / badung.length).toBeGreaterThan(0.7);
      expect(hindu.every((citizen) => /^(I|Ni|Ida) /.test(citizen.fullName))).toBe(true);
      const bogor = world.citizens.filter((citizen) => citizen.address.regencyName === 'Kota Bogor');
      expect(bogor.filter((citizen) => citizen.religion === 'ISLAM').length / bogor.length).toBeGreaterThan(0.8);
    });

    it('builds families around a head, with married couples, single children and some widowed or divorced heads', () => {
      const heads = world.citizens.filter((citizen) => citizen.familyRelationship === 'HEAD');
      expect(heads).toHaveLength(world.familyCards.length);
      const headStatuses = new Set(heads.map((head) => head.maritalStatus));
      expect([...headStatuses].sort()).toEqual(['DIVORCED', 'MARRIED', 'SINGLE', 'WIDOWED']);
      const spouses = world.citizens.filter((citizen) => citizen.familyRelationship === 'SPOUSE');
      expect(spouses.every((spouse) => spouse.maritalStatus === 'MARRIED')).toBe(true);
      expect(world.citizens.filter((citizen) => citizen.familyRelationship === 'CHILD').every((child) => child.maritalStatus === 'SINGLE')).toBe(true);
      expect(world.citizens.some((citizen) => citizen.familyRelationship === 'PARENT')).toBe(true);
    });

    it('keeps members of a family together: same religion, children younger than parents', () => {
      const byCard = groupBy(world.citizens, (citizen) => citizen.familyCardNumber);
      for (const members of byCard.values()) {
        expect(new Set(members.map((member) => member.religion)).size).toBe(1);
        const head = members.find((member) => member.familyRelationship === 'HEAD');
        for (const child of members.filter((member) => member.familyRelationship === 'CHILD')) {
          expect(child.birthDate > (head?.birthDate ?? '')).toBe(true);
        }
      }
    });

    it('issues a KK no earlier than the birth of its youngest member', () => {
      const byCard = groupBy(world.citizens, (citizen) => citizen.familyCardNumber);
      for (const card of world.familyCards) {
        const youngest = (byCard.get(card.number) ?? []).map((member) => member.birthDate).sort().at(-1) ?? '';
        expect(card.issuedOn >= youngest).toBe(true);
      }
    });

    it('registers one KUA marriage per married Muslim couple and none for other religions', () => {
      const muslimCouples = world.citizens.filter(
        (citizen) => citizen.familyRelationship === 'SPOUSE' && citizen.religion === 'ISLAM',
      );
      expect(world.marriages).toHaveLength(muslimCouples.length);
      expect(new Set(world.marriages.map((marriage) => marriage.wifeNik))).toEqual(new Set(muslimCouples.map((wife) => wife.nik)));
    });
  });

  describe('agency records', () => {
    const adults = () => world.citizens.filter((citizen) => isAdult(citizen.birthDate));
    const share = (count: number) => count / adults().length;

    it('gives businesses to about 15% of adults, mostly active, with KBLI 2020 codes', () => {
      expect(share(new Set(world.businesses.map((business) => business.ownerNik)).size)).toBeGreaterThan(0.1);
      expect(share(new Set(world.businesses.map((business) => business.ownerNik)).size)).toBeLessThan(0.2);
      expect(world.businesses.filter((business) => business.status === 'ACTIVE').length / world.businesses.length).toBeGreaterThan(0.8);
      for (const business of world.businesses) expect(business.kbli).toMatch(/^\d{5}$/);
      expect(world.businesses.some((business) => business.kbli === '55130' && business.kbliTitle === 'Pondok Wisata')).toBe(true);
    });

    it('registers about 40% of adults as taxpayers, business owners always, with both NPWP kinds', () => {
      expect(share(world.taxpayers.length)).toBeGreaterThan(0.3);
      expect(share(world.taxpayers.length)).toBeLessThan(0.5);
      const taxpayerNiks = new Set(world.taxpayers.map((taxpayer) => taxpayer.nik));
      expect(world.businesses.every((business) => taxpayerNiks.has(business.ownerNik))).toBe(true);
      expect(world.taxpayers.some((taxpayer) => taxpayer.npwp.length === 15)).toBe(true);
      expect(world.taxpayers.some((taxpayer) => taxpayer.npwp.length === 16)).toBe(true);
    });

    it('bills most family heads for PBB for this year and the two before, with a mix of statuses', () => {
      const owners = new Set(world.propertyTaxBills.map((bill) => bill.ownerNik));
      expect(owners.size / world.familyCards.length).toBeGreaterThan(0.7);
      const headNiks = new Set(world.familyCards.map((card) => card.headNik));
      expect([...owners].every((nik) => headNiks.has(nik))).toBe(true);
      expect(new Set(world.propertyTaxBills.map((bill) => bill.year))).toEqual(new Set([2024, 2025, 2026]));
      expect(new Set(world.propertyTaxBills.map((bill) => bill.status))).toEqual(new Set(['PAID', 'UNPAID', 'OVERDUE']));
    });

    it('gives vehicles to about half of the adults, mostly motorcycles, each with one PKB', () => {
      expect(share(new Set(world.vehicles.map((vehicle) => vehicle.ownerNik)).size)).toBeGreaterThan(0.4);
      expect(share(new Set(world.vehicles.map((vehicle) => vehicle.ownerNik)).size)).toBeLessThan(0.6);
      expect(world.vehicles.filter((vehicle) => vehicle.kind === 'MOTORCYCLE').length / world.vehicles.length).toBeGreaterThan(0.7);
      expect(new Set(world.vehicleTaxes.map((tax) => tax.status))).toEqual(new Set(['PAID', 'UNPAID', 'OVERDUE']));
    });

    it('gives most vehicle owners the SIM class for their vehicle: C for motorcycles, A for cars', () => {
      const kindsByOwner = groupBy(world.vehicles, (vehicle) => vehicle.ownerNik);
      const licensed = new Set(world.drivingLicences.map((licence) => licence.nik));
      expect(licensed.size / kindsByOwner.size).toBeGreaterThan(0.75);
      for (const licence of world.drivingLicences) {
        const kinds = (kindsByOwner.get(licence.nik) ?? []).map((vehicle) => vehicle.kind);
        expect(kinds).toContain(licence.class === 'A' ? 'CAR' : 'MOTORCYCLE');
      }
    });

    it('gives passports to about 8% of adults', () => {
      expect(share(world.passports.length)).toBeGreaterThan(0.05);
      expect(share(world.passports.length)).toBeLessThan(0.11);
    });

    it('files applications for about 10% of citizens at the applicant\'s own MPP', () => {
      expect(world.applications).toHaveLength(200);
      const citizenByNik = new Map(world.citizens.map((citizen) => [citizen.nik, citizen]));
      for (const application of world.applications) {
        const applicant = citizenByNik.get(application.applicantNik);
        expect(application.mppOffice).toBe(`MPP ${applicant?.address.regencyName}`);
        expect(isAdult(applicant?.birthDate ?? '')).toBe(true);
      }
      expect(new Set(world.applications.map((application) => application.status)).size).toBeGreaterThanOrEqual(4);
    });
  });

  describe.each([
    ['the default world', () => world],
    ['a 50-citizen world', () => generateWorld({ citizens: 50, seed: 5 })],
    ['the smallest world', () => generateWorld({ citizens: 6, seed: 6 })],
  ])('samples of %s', (_name, worldOf) => {
    it('are three married Muslim men from three regencies with data in every subgraph', () => {
      const sampleWorld = worldOf();
      expect(sampleWorld.samples).toHaveLength(3);
      const citizenByNik = new Map(sampleWorld.citizens.map((citizen) => [citizen.nik, citizen]));
      const regencies = new Set<string>();
      for (const sample of sampleWorld.samples) {
        const citizen = citizenByNik.get(sample.nik);
        expect(citizen).toMatchObject({ fullName: sample.fullName, religion: 'ISLAM', maritalStatus: 'MARRIED', sex: 'MALE' });
        regencies.add(citizen?.address.regencyCode ?? '');
        const has = {
          business: sampleWorld.businesses.some((business) => business.ownerNik === sample.nik && business.status === 'ACTIVE'),
          npwp: sampleWorld.taxpayers.some((taxpayer) => taxpayer.nik === sample.nik),
          pbb: sampleWorld.propertyTaxBills.some((bill) => bill.ownerNik === sample.nik),
          vehicle: sampleWorld.vehicles.some((vehicle) => vehicle.ownerNik === sample.nik),
          sim: sampleWorld.drivingLicences.some((licence) => licence.nik === sample.nik && licence.expiresOn > today),
          passport: sampleWorld.passports.some((passport) => passport.nik === sample.nik && passport.status === 'VALID'),
          marriage: sampleWorld.marriages.some((marriage) => marriage.husbandNik === sample.nik),
          application: sampleWorld.applications.some((application) => application.applicantNik === sample.nik),
        };
        expect(has).toEqual({ business: true, npwp: true, pbb: true, vehicle: true, sim: true, passport: true, marriage: true, application: true });
        const highlights = sample.highlights.join('\n');
        for (const word of ['Business', 'NPWP', 'PBB', 'Vehicle', 'SIM', 'Passport', 'Marriage', 'Application']) {
          expect(highlights).toContain(word);
        }
      }
      expect(regencies.size).toBe(3);
    });
  });
});
