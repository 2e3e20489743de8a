import { parseInternalContextKey } from '@simpul/service-kit';
import { z } from 'zod';

/**
 * INTERNAL_CONTEXT_PRIVATE_KEY: the private Ed25519 JWK (JSON) the gateway signs every subgraph
 * fetch's `x-simpul-context` with; the subgraphs get its public half (INTERNAL_CONTEXT_PUBLIC_KEY).
 * Optional outside production: a gateway without it sends no context, which subgraphs with a public
 * key refuse, so a missing key fails closed. Required when NODE_ENV=production (see ../env.ts).
 */
export const internalContextEnvShape = {
  INTERNAL_CONTEXT_PRIVATE_KEY: z.preprocess(
    (value) => (value === '' ? undefined : value),
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
