/**
 * Unified citizen profile through the gateway at a constant arrival rate — the k6 version of the
 * `unified-citizen` scenario of the Node runner (loadtests/src/run.ts), for a real load-test rig
 * where the load generator runs on its own machine.
 *
 * k6 is not an npm package; install it from https://grafana.com/docs/k6/latest/set-up/install-k6/.
 *
 *   1. Run the stack with a seeded world (`npm start`, or a deployment seeded with the same
 *      SEED_CITIZENS/SEED) and note the gateway URL.
 *   2. Write the fixture — the query the CLI demo uses and the NIKs of that world, in the runner's
 *      shuffled order:
 *        npm run build && node loadtests/dist/k6-fixtures.js --citizens 2000 [--seed N]
 *      (writes loadtests/k6/fixtures/unified-citizen.json)
 *   3. Run it as an officer (every request carries a bearer token and a purpose):
 *        k6 run -e TOKEN="$(npm run -s simpul -- token petugas)" loadtests/k6/unified-citizen.ts   # k6 ≥ 0.57 runs TypeScript itself
 *        k6 run --compatibility-mode=experimental_enhanced loadtests/k6/unified-citizen.ts   # k6 0.52–0.56
 *      Older k6 needs JavaScript: `npx tsc -p loadtests/k6/tsconfig.json --noEmit false --outDir
 *      loadtests/k6/dist` and run loadtests/k6/dist/unified-citizen.js (fixture paths are resolved
 *      relative to the script, so copy fixtures/ next to it or pass FIXTURE).
 *
 * Environment (`k6 run -e NAME=value …`): GATEWAY_URL, TOKEN or a client (simpul.ts), and
 *   PURPOSE       x-simpul-purpose                    default legal-basis:PUBLIC_SERVICE_DELIVERY
 *   FIXTURE       fixture file, relative to this file default ./fixtures/unified-citizen.json
 *   NIKS          comma-separated NIKs replacing the fixture's (the query still comes from it)
 *   RATE          requests per second                 default 50
 *   DURATION      k6 duration string                  default 2m
 *   VUS           pre-allocated VUs (MAX_VUS: cap)    default 20 (MAX_VUS 100)
 *   P99_MS        threshold for p99 latency           default 1000
 *
 * The run fails (k6 exits non-zero) when p99 exceeds P99_MS, when any response is not a clean
 * GraphQL success (HTTP 200, no `errors`, non-null `data.citizen`), or when k6 had to drop
 * iterations because MAX_VUS could not sustain RATE.
 */
import { SharedArray } from 'k6/data';
import type { Options } from 'k6/options';
import { callerFromEnv, constantRate, graphql, type Caller } from './simpul';

interface UnifiedCitizenFixture {
  query: string;
  niks: string[];
}

const FIXTURE_PATH = __ENV.FIXTURE || './fixtures/unified-citizen.json';

// Parsed once in the init context and shared read-only by every VU.
const fixture = new SharedArray<UnifiedCitizenFixture>('unified-citizen fixture', () => {
  const parsed = JSON.parse(open(FIXTURE_PATH)) as UnifiedCitizenFixture;
  const niks = __ENV.NIKS ? __ENV.NIKS.split(',').map((nik) => nik.trim()).filter(Boolean) : parsed.niks;
  if (!parsed.query || niks.length === 0) throw new Error(`${FIXTURE_PATH} needs a query and at least one NIK`);
  return [{ query: parsed.query, niks }];
})[0]!;

export const options: Options = constantRate('unified_citizen', { rate: 50, p99Ms: 1000 });

/** Once per run: the caller every VU uses (an officer's TOKEN, or a client's token). */
export function setup(): Caller {
  return callerFromEnv('legal-basis:PUBLIC_SERVICE_DELIVERY');
}

export default function unifiedCitizen(caller: Caller): void {
  // Spread VUs over the NIK list instead of all starting at the first citizen.
  const nik = fixture.niks[(__VU * 7919 + __ITER) % fixture.niks.length]!;
  graphql<{ citizen?: unknown }>(caller, 'UnifiedProfile', fixture.query, { nik }, (data) => data.citizen !== undefined && data.citizen !== null);
}
