import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { subgraphTimeoutVariable, subgraphUrlVariable } from '@simpul/service-kit';
import { generateWorld, type World } from '@simpul/synthetic-data';
import { postGraphQL, startStack, type Stack } from '@simpul/testing';

// The whole stack as separate processes: seven subgraph services on Postgres, seeded with the same
// small world, and the gateway in front, started once for this file.
const WORLD = { citizens: 60, seed: 20250117 };
const world = generateWorld(WORLD);

const UNIFIED_PROFILE = /* GraphQL */ `
  query UnifiedProfile($nik: String!) {
    citizen(nik: $nik) {
      nik fullName birthPlace birthDate sex maritalStatus
      address {
        street rt rw village postalCode
        district { code name } regency { code name } province { code name }
      }
      familyCard { number members { nik fullName relationship } }
      npwp
      propertyTaxBills { nop year amount status dueOn }
      businesses { nib name kbli status issuedOn }
      passports { number status issuedOn expiresOn }
      drivingLicences { number class issuedOn expiresOn }
      vehicles { plateNumber kind brand model taxDue { amount dueOn status } }
      marriages { id registeredAt spouse { nik fullName } }
      applications { id type status }
    }
  }
`;

type Row = Record<string, unknown>;
type Profile = Record<string, unknown> & { vehicles: Row[] | null };

const digits = (value: unknown) => String(value).replace(/\D/g, '');
const byKey = <T extends Row>(key: string) => (a: T, b: T) => String(a[key]).localeCompare(String(b[key]));

/** What the profile must be, from the world the services seeded; lists in a canonical order. */
function expectedProfile(source: World, nik: string): Profile {
  const citizen = source.citizens.find((c) => c.nik === nik);
  if (!citizen) throw new Error(`no citizen ${nik} in the world`);
  const nameOf = (n: string) => source.citizens.find((c) => c.nik === n)!.fullName;
  const taxpayer = source.taxpayers.find((t) => t.nik === nik);
  const a = citizen.address;
  return {
    nik,
    fullName: citizen.fullName,
    birthPlace: citizen.birthPlace,
    birthDate: citizen.birthDate,
    sex: citizen.sex,
    maritalStatus: citizen.maritalStatus,
    address: {
      street: a.street,
      rt: a.rt,
      rw: a.rw,
      village: a.village,
      postalCode: a.postalCode,
      district: { code: a.districtCode, name: a.districtName },
      regency: { code: a.regencyCode, name: a.regencyName },
      province: { code: a.provinceCode, name: a.provinceName },
    },
    familyCard: {
      number: citizen.familyCardNumber,
      members: source.citizens
        .filter((c) => c.familyCardNumber === citizen.familyCardNumber)
        .map((c) => ({ nik: c.nik, fullName: c.fullName, relationship: c.familyRelationship }))
        .sort(byKey('nik')),
    },
    npwp: taxpayer ? taxpayer.npwp : null,
    propertyTaxBills: source.propertyTaxBills
      .filter((b) => b.ownerNik === nik)
      .map((b) => ({ nop: b.nop, year: b.year, amount: b.amount, status: b.status, dueOn: b.dueOn }))
      .sort((x, y) => `${x.nop}${x.year}`.localeCompare(`${y.nop}${y.year}`)),
    businesses: source.businesses
      .filter((b) => b.ownerNik === nik)
      .map((b) => ({ nib: b.nib, name: b.name, kbli: b.kbli, status: b.status, issuedOn: b.issuedOn }))
      .sort(byKey('nib')),
    passports: source.passports
      .filter((p) => p.nik === nik)
      .map((p) => ({ number: p.number, status: p.status, issuedOn: p.issuedOn, expiresOn: p.expiresOn }))
      .sort(byKey('number')),
    drivingLicences: source.drivingLicences
      .filter((d) => d.nik === nik)
      .map((d) => ({ number: d.number, class: d.class, issuedOn: d.issuedOn, expiresOn: d.expiresOn }))
      .sort(byKey('number')),
    vehicles: source.vehicles
      .filter((v) => v.ownerNik === nik)
      .map((v) => {
        const tax = source.vehicleTaxes.find((t) => t.plateNumber === v.plateNumber);
        return {
          plateNumber: v.plateNumber,
          kind: v.kind,
          brand: v.brand,
          model: v.model,
          taxDue: tax ? { amount: tax.amount, dueOn: tax.dueOn, status: tax.status } : null,
        };
      })
      .sort(byKey('plateNumber')),
    marriages: source.marriages
      .filter((m) => m.husbandNik === nik || m.wifeNik === nik)
      .map((m) => {
        const spouseNik = m.husbandNik === nik ? m.wifeNik : m.husbandNik;
        return { id: m.id, registeredAt: m.registeredAt, spouse: { nik: spouseNik, fullName: nameOf(spouseNik) } };
      })
      .sort(byKey('id')),
    applications: source.applications
      .filter((app) => app.applicantNik === nik)
      .map((app) => ({ id: app.id, type: app.type, status: app.status }))
      .sort(byKey('id')),
  };
}

/**
 * The profile as answered, in the same canonical order: list order is each subgraph's own
 * contract (tested there); here what matters is that the right records arrive through the gateway.
 */
function canonical(profile: Row): Profile {
  const list = (value: unknown, sort: (a: Row, b: Row) => number) =>
    Array.isArray(value) ? [...(value as Row[])].sort(sort) : value;
  const familyCard = profile.familyCard as Row | null;
  return {
    ...profile,
    npwp: profile.npwp === null ? null : digits(profile.npwp),
    familyCard: familyCard && { ...familyCard, members: list(familyCard.members, byKey('nik')) },
    propertyTaxBills: Array.isArray(profile.propertyTaxBills)
      ? (profile.propertyTaxBills as Row[])
          .map((b): Row => ({ ...b, nop: digits(b.nop) }))
          .sort((x, y) => `${x.nop}${x.year}`.localeCompare(`${y.nop}${y.year}`))
      : profile.propertyTaxBills,
    businesses: list(profile.businesses, byKey('nib')),
    passports: list(profile.passports, byKey('number')),
    drivingLicences: list(profile.drivingLicences, byKey('number')),
    vehicles: list(profile.vehicles, byKey('plateNumber')) as Row[] | null,
    marriages: list(profile.marriages, byKey('id')),
    applications: list(profile.applications, byKey('id')),
  };
}

async function readProfile(url: string, nik: string) {
  const response = await postGraphQL<{ citizen: Row | null }>(url, UNIFIED_PROFILE, { nik }, await stack.authHeaders());
  return { ...response, citizen: response.data?.citizen ? canonical(response.data.citizen) : null };
}

/** A well-formed NIK (a sample's region and birth date) that no one in the world has. */
function unregisteredNik(): string {
  const prefix = world.samples[0]!.nik.slice(0, 12);
  for (let serial = 9999; serial > 0; serial -= 1) {
    const nik = `${prefix}${String(serial).padStart(4, '0')}`;
    if (!world.citizens.some((c) => c.nik === nik)) return nik;
  }
  throw new Error('no free serial');
}

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ ...WORLD, engine: 'postgres', logLevel: 'warn' });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

describe('unified citizen profile through the gateway', () => {
  it.each(world.samples.map((s) => [s.fullName, s.nik] as const))('joins all seven subgraphs for %s (%s)', async (_name, nik) => {
    const expected = expectedProfile(world, nik);
    // Samples have data in every subgraph, so no part of this comparison is vacuous.
    for (const field of ['propertyTaxBills', 'businesses', 'passports', 'drivingLicences', 'vehicles', 'marriages', 'applications']) {
      expect((expected[field] as unknown[]).length).toBeGreaterThan(0);
    }
    expect(expected.npwp).not.toBeNull();

    const response = await readProfile(stack.gatewayUrl, nik);
    expect(response.errors).toBeUndefined();
    expect(response.citizen).toEqual(expected);
  });

  it('returns the caller correlation id', async () => {
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-correlation-id': 'mpp-banyuwangi-counter-7', ...(await stack.authHeaders()) },
      body: JSON.stringify({ query: UNIFIED_PROFILE, variables: { nik: world.samples[0]!.nik } }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-correlation-id')).toBe('mpp-banyuwangi-counter-7');
  });

  it('rejects a malformed NIK with BAD_USER_INPUT naming the rule', async () => {
    const response = await postGraphQL(stack.gatewayUrl, UNIFIED_PROFILE, { nik: '35100150059' }, await stack.authHeaders());
    expect(response.data).toEqual({ citizen: null });
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]).toMatchObject({
      path: ['citizen'],
      extensions: { code: 'BAD_USER_INPUT', rule: 'NIK_LENGTH', argument: 'nik', serviceName: 'dukcapil' },
    });
    expect(response.errors![0]!.message).toMatch(/16/);
  });

  it('answers null without errors for a well-formed NIK that is not registered', async () => {
    const response = await postGraphQL(stack.gatewayUrl, UNIFIED_PROFILE, { nik: unregisteredNik() }, await stack.authHeaders());
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ citizen: null });
  });

  describe('while the licensing service is down', () => {
    beforeAll(async () => {
      await stack.subgraphs.licensing.stop();
    });
    afterAll(async () => {
      await stack.subgraphs.licensing.start();
    }, 60_000);

    it('still answers every other field, with businesses null and an error at that field', async () => {
      const nik = world.samples[1]!.nik;
      const response = await readProfile(stack.gatewayUrl, nik);
      expect(response.citizen).toEqual({ ...expectedProfile(world, nik), businesses: null });
      expect(response.errors).toEqual([
        {
          message: 'The licensing service is unavailable',
          path: ['citizen', 'businesses'],
          extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'licensing' },
        },
      ]);
    });
  });

  it('serves businesses again once licensing is back', async () => {
    const nik = world.samples[1]!.nik;
    const response = await readProfile(stack.gatewayUrl, nik);
    expect(response.errors).toBeUndefined();
    expect(response.citizen).toEqual(expectedProfile(world, nik));
  });

  describe('when the tax service hangs', () => {
    let hung: Server;
    const sockets = new Set<Socket>();
    let slowGateway: Awaited<ReturnType<Stack['startGateway']>>;

    beforeAll(async () => {
      // Accepts connections, never answers.
      hung = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
      slowGateway = await stack.startGateway({
        [subgraphUrlVariable('tax')]: `http://127.0.0.1:${(hung.address() as AddressInfo).port}/graphql`,
        [subgraphTimeoutVariable('tax')]: '400',
      });
    }, 60_000);

    afterAll(async () => {
      await slowGateway?.stop();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => hung.close(resolve));
    });

    it('times tax out and answers the rest, with errors at every tax field', async () => {
      const nik = world.samples[2]!.nik;
      const expected = expectedProfile(world, nik);
      const started = Date.now();
      const response = await readProfile(slowGateway.url, nik);
      expect(Date.now() - started).toBeLessThan(3000);

      const vehicles = response.citizen?.vehicles ?? [];
      expect(response.citizen).toEqual({
        ...expected,
        npwp: null,
        propertyTaxBills: null,
        vehicles: expected.vehicles!.map((v) => ({ ...v, taxDue: null })),
      });
      // Vehicle.taxDue comes from tax too: its errors point at each vehicle of the response.
      const taxDuePaths = (response.data!.citizen!.vehicles as Row[]).map((_v, i) => ['citizen', 'vehicles', i, 'taxDue']);
      expect(taxDuePaths).toHaveLength(vehicles.length);
      expect(response.errors?.map((e) => e.path)).toEqual(
        expect.arrayContaining([['citizen', 'npwp'], ['citizen', 'propertyTaxBills'], ...taxDuePaths]),
      );
      expect(response.errors).toHaveLength(2 + taxDuePaths.length);
      for (const error of response.errors!) {
        expect(error).toMatchObject({
          message: 'The tax service did not answer within 400 ms',
          extensions: { code: 'SUBGRAPH_TIMEOUT', serviceName: 'tax' },
        });
      }
    });
  });
});
