import { defineServiceEnv } from '@simpul/service-kit';
import { z } from 'zod';

export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:4000/graphql';

export const religiousAffairsEnvSchema = defineServiceEnv({
  /** The gateway the KUA asks Dukcapil through (marital status before registering a marriage). */
  GATEWAY_URL: z.url({ protocol: /^https?$/ }).default(DEFAULT_GATEWAY_URL),
});

export type ReligiousAffairsEnv = z.infer<typeof religiousAffairsEnvSchema>;
