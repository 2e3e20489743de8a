import { defineServiceEnv } from '@simpul/service-kit';
import { z } from 'zod';

export const policeEnvSchema = defineServiceEnv({
  /** The federated graph, where the police read the tax office's PKB before validating an STNK. */
  GATEWAY_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4000/graphql').describe("the gateway the police read the tax office's PKB through"),
});
export type PoliceEnv = z.output<typeof policeEnvSchema>;
