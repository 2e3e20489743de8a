/**
 * The subgraphs Simpul ships and their default ports (ARCHITECTURE.md §8). The gateway reads each
 * subgraph's URL from `SUBGRAPH_<NAME>_URL` (e.g. SUBGRAPH_RELIGIOUS_AFFAIRS_URL), defaulting to these.
 */
export const SUBGRAPHS = [
  { name: 'dukcapil', port: 4001 },
  { name: 'licensing', port: 4002 },
  { name: 'tax', port: 4003 },
  { name: 'immigration', port: 4004 },
  { name: 'police', port: 4005 },
  { name: 'religious-affairs', port: 4006 },
  { name: 'applications', port: 4007 },
  /** The hash-chained audit log of personal-data accesses (services/audit); other subgraphs post to it (AUDIT_URL). */
  { name: 'audit', port: 4008 },
  /** The participant registry (services/participants): institutions, their lifecycle and credentials; admin only. */
  { name: 'participants', port: 4009 },
] as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

export const GATEWAY_PORT = 4000;
export const IDENTITY_PORT = 4010;

/** `religious-affairs` → `SUBGRAPH_RELIGIOUS_AFFAIRS_URL` */
export function subgraphUrlVariable(name: string): string {
  return `SUBGRAPH_${name.toUpperCase().replace(/-/g, '_')}_URL`;
}

/** `religious-affairs` → `SUBGRAPH_RELIGIOUS_AFFAIRS_TIMEOUT_MS` (the gateway's per-subgraph fetch timeout). */
export function subgraphTimeoutVariable(name: string): string {
  return `SUBGRAPH_${name.toUpperCase().replace(/-/g, '_')}_TIMEOUT_MS`;
}

export function defaultSubgraphUrl(name: SubgraphName, host = '127.0.0.1'): string {
  const entry = SUBGRAPHS.find((s) => s.name === name);
  if (!entry) throw new Error(`unknown subgraph ${name}`);
  return `http://${host}:${entry.port}/graphql`;
}
