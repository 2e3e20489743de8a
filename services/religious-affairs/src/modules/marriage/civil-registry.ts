import type { GatewayClient } from '@simpul/service-kit';
import { z } from 'zod';

/** What the KUA needs to know of a prospective spouse from Dukcapil, the civil registry. */
export interface CivilRecord {
  maritalStatus: 'SINGLE' | 'MARRIED' | 'DIVORCED' | 'WIDOWED';
  /** The kecamatan of the registered address: its KUA registers a bride's marriage. */
  district: { code: string; name: string };
}

/** Dukcapil as the KUA sees it, through the gateway. Unknown NIKs are null. */
export interface CivilRegistry {
  /** `purpose`: why Dukcapil is asked, `application:<id>` of the marriage application. */
  lookUpCouple(groomNik: string, brideNik: string, purpose: string): Promise<{ groom: CivilRecord | null; bride: CivilRecord | null }>;
}

// Only Dukcapil's root field: the KUA asks what the civil registry says, never another subgraph.
const COUPLE_QUERY = /* GraphQL */ `
  query KuaMarriageCheck($groomNik: String!, $brideNik: String!) {
    groom: citizen(nik: $groomNik) { maritalStatus address { district { code name } } }
    bride: citizen(nik: $brideNik) { maritalStatus address { district { code name } } }
  }
`;

const citizenSchema = z
  .object({
    maritalStatus: z.enum(['SINGLE', 'MARRIED', 'DIVORCED', 'WIDOWED']),
    address: z.object({ district: z.object({ code: z.string().regex(/^\d{6}$/), name: z.string().min(1) }) }),
  })
  .nullable();
const coupleSchema = z.object({ groom: citizenSchema, bride: citizenSchema });

/**
 * Dukcapil through the gateway. A failed query throws GatewayQueryError (transient: the task is
 * retried); an answer of the wrong shape throws too, since deciding on it would be guessing.
 */
export function createCivilRegistry(gateway: GatewayClient): CivilRegistry {
  return {
    async lookUpCouple(groomNik, brideNik, purpose) {
      const data = coupleSchema.parse(await gateway.query<unknown>(COUPLE_QUERY, { groomNik, brideNik }, { purpose }));
      const record = (citizen: z.output<typeof citizenSchema>): CivilRecord | null =>
        citizen && { maritalStatus: citizen.maritalStatus, district: citizen.address.district };
      return { groom: record(data.groom), bride: record(data.bride) };
    },
  };
}
