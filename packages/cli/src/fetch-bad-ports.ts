import type { PortClaim } from './ports';

/**
 * The ports the Fetch standard blocks ("bad ports"): Node's fetch, every browser and the console
 * refuse to connect to them, so a process listening there is never seen ready and never reached.
 * https://fetch.spec.whatwg.org/#port-blocking, as undici implements it.
 */
export const FETCH_BAD_PORTS: ReadonlySet<number> = new Set([
  0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137,
  139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723,
  2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** The claims on a port fetch refuses; empty when every port is usable. */
export function fetchBlockedPorts(claims: readonly PortClaim[]): PortClaim[] {
  return claims.filter((claim) => FETCH_BAD_PORTS.has(claim.port));
}

export function formatFetchBlockedPorts(blocked: readonly PortClaim[]): string {
  const lines = blocked.map((claim) => `  port ${claim.port} (the ${claim.owner}) is one browsers and Node's fetch refuse to connect to ("bad port")`);
  return `simpul cannot start on these ports:\n${lines.join('\n')}\nChoose another --base-port (the stack takes the base port and the 22 after it).`;
}
