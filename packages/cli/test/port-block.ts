import { probePort } from '../src/ports';

/**
 * Gateway (base), eight subgraphs (base + 1–8), the identity provider (base + 10), the event broker
 * (base + 11), the example participants (base + 21, + 22); the gaps are probed too.
 */
export const STACK_PORTS = 23;

/**
 * A base port with the next STACK_PORTS - 1 free too, below Linux's ephemeral range (32768+) so that no
 * outgoing connection or port-0 listener elsewhere on the machine takes one while a stack starts.
 */
export async function freePortBlock(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = 20_000 + Math.floor(Math.random() * 12_000);
    const states = await portStates(base);
    if (states.every((state) => state === 'free')) return base;
  }
  throw new Error(`no block of ${STACK_PORTS} free ports found`);
}

export function portStates(base: number) {
  return Promise.all(Array.from({ length: STACK_PORTS }, (_, i) => probePort('127.0.0.1', base + i)));
}
