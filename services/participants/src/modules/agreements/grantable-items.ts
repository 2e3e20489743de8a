import { isLegalBasisCode, LEGAL_BASIS_ROLES } from '@simpul/service-kit';

/**
 * What an agency can open to a participant by an access grant: items of its subgraph, each with the
 * ceiling its SDL's `@access` sets (a grant can never exceed it) and, for a verification, the claims
 * it compares. The ceilings are copied from the owners' SDL and checked against it by
 * grantable-items.spec.ts, which fails when they drift apart.
 */
export interface GrantableItem {
  owner: string;
  /** `Type.field` of the owner's subgraph. */
  item: string;
  /** The `@access` roles of the item in the owner's SDL. */
  ceiling: readonly string[];
  /** For a verification: the claims a grant may cover. */
  claims: readonly string[];
}

export const GRANTABLE_ITEMS: readonly GrantableItem[] = [
  { owner: 'dukcapil', item: 'Query.verifyCitizen', ceiling: ['participant:*', 'agency:*'], claims: ['fullName', 'birthDate', 'birthPlace', 'familyCardNumber', 'addressRegency'] },
  // A registered value itself: Dukcapil's SDL opens it to agencies and officers, never to a participant.
  { owner: 'dukcapil', item: 'Citizen.fullName', ceiling: ['officer', 'supervisor', 'agency:*', 'self'], claims: [] },
];

export function grantableItem(owner: string, item: string): GrantableItem | undefined {
  return GRANTABLE_ITEMS.find((candidate) => candidate.owner === owner && candidate.item === item);
}

export function isOwnerAgency(owner: string): boolean {
  return GRANTABLE_ITEMS.some((candidate) => candidate.owner === owner);
}

/** Whether one of `roles` is within the ceiling (`participant:*` covers every participant). */
export function withinCeiling(ceiling: readonly string[], roles: readonly string[]): boolean {
  return roles.some((role) => ceiling.includes(role) || ceiling.includes(`${role.split(':')[0]}:*`));
}

/** A legal basis a participant may invoke (docs/security.md, LEGAL_BASIS_ROLES). */
export function isParticipantPurpose(purpose: string): boolean {
  const code = purpose.startsWith('legal-basis:') ? purpose.slice('legal-basis:'.length) : '';
  return isLegalBasisCode(code) && LEGAL_BASIS_ROLES[code].includes('participant:*');
}
