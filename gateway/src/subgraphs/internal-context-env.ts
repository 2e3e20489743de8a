import { DEFAULT_CLOSED_APPLICATION_PURPOSE_DAYS, emptyAsUndefined, parseInternalContextKey } from '@simpul/service-kit';
import { z } from 'zod';

/**
 * INTERNAL_CONTEXT_PRIVATE_KEY: the private Ed25519 JWK (JSON) the gateway signs every subgraph
 * fetch's `x-simpul-context` with; the subgraphs get its public half (INTERNAL_CONTEXT_PUBLIC_KEY).
 * Optional outside production: a gateway without it sends no context, which subgraphs with a public
 * key refuse, so a missing key fails closed. Required when NODE_ENV=production (see ../env.ts).
 */
export const internalContextEnvShape = {
  /** How long the gateway reuses an application's facts when binding an `application:<id>` purpose (ms; 0: never). */
  PURPOSE_CACHE_TTL_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(60_000).default(5000)),
  /** How many days after its last task was decided an application still binds its purpose. */
  PURPOSE_CLOSED_APPLICATION_DAYS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(0).max(3650).default(DEFAULT_CLOSED_APPLICATION_PURPOSE_DAYS),
  ),
  INTERNAL_CONTEXT_PRIVATE_KEY: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .optional()
      .superRefine((value, ctx) => {
        if (value === undefined) return;
        try {
          parseInternalContextKey(value, 'private');
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
        }
      }),
  ),
};
