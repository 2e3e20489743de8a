import type { IncomingMessage } from 'node:http';
import { INTERNAL_CONTEXT_HEADER, type InternalCaller, type InternalContextVerifier } from '@simpul/service-kit';

/**
 * The caller of a `POST /records` (GraphQL requests are verified by createSubgraph itself): the
 * verified caller, or why there is none. Without a verifier (no INTERNAL_CONTEXT_PUBLIC_KEY,
 * development only) nobody is verified.
 */
export type RecordsCaller = { security: 'off' } | { security: 'on'; caller: InternalCaller } | { security: 'on'; caller?: undefined; problem: string };

export async function recordsCallerOf(req: IncomingMessage, verifier: InternalContextVerifier | undefined): Promise<RecordsCaller> {
  if (!verifier) return { security: 'off' };
  const header = req.headers[INTERNAL_CONTEXT_HEADER];
  const token = Array.isArray(header) ? (header.length === 1 ? header[0] : undefined) : header;
  if (!token) return { security: 'on', problem: `no ${INTERNAL_CONTEXT_HEADER}: only a subgraph serving a gateway request may append` };
  try {
    return { security: 'on', caller: await verifier.verify(token) };
  } catch (error) {
    return { security: 'on', problem: `the ${INTERNAL_CONTEXT_HEADER} is not valid: ${(error as Error).message}` };
  }
}
