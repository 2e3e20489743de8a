import { generateWorld } from '@simpul/synthetic-data';
import { postGraphQL, startSubgraphOnPostgres, type SubgraphOnPostgres } from '@simpul/testing';
import { policeService } from '../src/app';
import type { PoliceSchema } from '../src/db/schema';
import { hasData } from '../src/db/seed';
import { drivingLicencesOf, vehiclesOf } from './expected-answers';

const WORLD = { citizens: 120, seed: 7 };
const world = generateWorld(WORLD);
let police: SubgraphOnPostgres<PoliceSchema>;

beforeAll(async () => {
  police = await startSubgraphOnPostgres(policeService, WORLD);
});

afterAll(async () => {
  await police?.stop();
});

const LICENCE_FIELDS = 'drivingLicences { number class issuedOn expiresOn }';
const VEHICLE_FIELDS = 'vehicles { plateNumber kind brand model manufactureYear stnkExpiresOn owner { nik } }';

interface CitizenAnswer {
  nik: string;
  drivingLicences?: unknown[];
  vehicles?: unknown[];
}

function citizenEntities(niks: string[], fields: string) {
  return postGraphQL<{ _entities: CitizenAnswer[] }>(
    police.url,
    `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { nik ${fields} } } }`,
    { r: niks.map((nik) => ({ __typename: 'Citizen', nik })) },
  );
}

describe('police contributions to Citizen', () => {
  it('seeds the synthetic world once', async () => {
    expect(await hasData(police.db)).toBe(true);
  });

  it.each(world.samples.map((sample) => [sample.fullName, sample.nik]))("answers %s's SIMs and vehicles as the world has them", async (_name, nik) => {
    const response = await citizenEntities([nik], `${LICENCE_FIELDS} ${VEHICLE_FIELDS}`);
    expect(response.errors).toBeUndefined();
    const [citizen] = response.data!._entities;
    expect(citizen!.drivingLicences!.length).toBeGreaterThan(0);
    expect(citizen!.vehicles!.length).toBeGreaterThan(0);
    expect(citizen).toEqual({ nik, drivingLicences: drivingLicencesOf(world, nik), vehicles: vehiclesOf(world, nik) });
  });

  it('answers empty lists, without error, for citizens POLRI has no record of', async () => {
    const withoutRecords = world.citizens.find(
      (c) => !world.drivingLicences.some((l) => l.nik === c.nik) && !world.vehicles.some((v) => v.ownerNik === c.nik),
    );
    expect(withoutRecords).toBeDefined();
    const unregisteredNik = '3510015005900001';
    expect(world.citizens.some((c) => c.nik === unregisteredNik)).toBe(false);

    const response = await citizenEntities([withoutRecords!.nik, unregisteredNik], `${LICENCE_FIELDS} ${VEHICLE_FIELDS}`);
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities).toEqual([
      { nik: withoutRecords!.nik, drivingLicences: [], vehicles: [] },
      { nik: unregisteredNik, drivingLicences: [], vehicles: [] },
    ]);
  });

  describe('for 50 citizens at once', () => {
    const niks = world.citizens.slice(0, 50).map((c) => c.nik);

    it('holds some with and some without police records, so the batch is meaningful', () => {
      const withVehicles = niks.filter((nik) => vehiclesOf(world, nik).length > 0).length;
      const withLicences = niks.filter((nik) => drivingLicencesOf(world, nik).length > 0).length;
      expect(withVehicles).toBeGreaterThan(1);
      expect(withVehicles).toBeLessThan(niks.length);
      expect(withLicences).toBeGreaterThan(1);
      expect(withLicences).toBeLessThan(niks.length);
    });

    it('costs one SQL statement per relation asked for', async () => {
      police.counter.reset();
      const response = await citizenEntities(niks, `${LICENCE_FIELDS} ${VEHICLE_FIELDS}`);
      expect(response.errors).toBeUndefined();
      expect(response.data!._entities).toEqual(
        niks.map((nik) => ({ nik, drivingLicences: drivingLicencesOf(world, nik), vehicles: vehiclesOf(world, nik) })),
      );
      expect(police.counter.count).toBe(2);
    });

    it.each([
      ['drivingLicences', LICENCE_FIELDS],
      ['vehicles', VEHICLE_FIELDS],
    ])('costs one SQL statement for %s alone', async (_relation, fields) => {
      police.counter.reset();
      const response = await citizenEntities(niks, fields);
      expect(response.errors).toBeUndefined();
      expect(response.data!._entities).toHaveLength(niks.length);
      expect(police.counter.count).toBe(1);
    });

    it('resolves the references themselves without touching the database', async () => {
      police.counter.reset();
      const response = await citizenEntities(niks, '');
      expect(response.errors).toBeUndefined();
      expect(response.data!._entities.map((c) => c.nik)).toEqual(niks);
      expect(police.counter.count).toBe(0);
    });
  });
});
