import { join } from 'node:path';
import { describeSubgraphAccess, loadTypeDefs } from '@simpul/service-kit';
import { Kind } from 'graphql';
import { GRANTABLE_ITEMS, isParticipantPurpose, withinCeiling } from './grantable-items';

const REPO_ROOT = join(__dirname, '..', '..', '..', '..', '..');

describe('GRANTABLE_ITEMS', () => {
  it.each(GRANTABLE_ITEMS.map((item) => [`${item.owner} ${item.item}`, item] as const))('%s has the ceiling the owner\'s SDL declares', (_name, grantable) => {
    const access = describeSubgraphAccess(loadTypeDefs(join(REPO_ROOT, 'services', grantable.owner, 'src', 'modules')));
    const [typeName, fieldName] = grantable.item.split('.');
    const field = access.find((type) => type.name === typeName)?.fields.find((candidate) => candidate.fieldName === fieldName);
    expect(field?.roles ? [...field.roles].sort() : undefined).toEqual([...grantable.ceiling].sort());
  });

  it('lists only the claims CitizenClaimsInput has for verifyCitizen', () => {
    const sdl = loadTypeDefs(join(REPO_ROOT, 'services', 'dukcapil', 'src', 'modules'));
    const input = sdl.definitions.find((definition) => definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION && definition.name.value === 'CitizenClaimsInput');
    const claims = (input?.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION ? (input.fields ?? []) : []).map((field) => field.name.value).sort();
    expect([...GRANTABLE_ITEMS.find((item) => item.item === 'Query.verifyCitizen')!.claims].sort()).toEqual(claims);
  });

  it('puts a participant within a participant:* ceiling, not within an agency-only one; accepts only the legal bases participants may invoke', () => {
    expect(withinCeiling(['participant:*', 'agency:*'], ['participant:bank-riau-kepri'])).toBe(true);
    expect(withinCeiling(['officer', 'agency:*', 'self'], ['participant:bank-riau-kepri'])).toBe(false);
    expect(isParticipantPurpose('legal-basis:CONTRACT_PERFORMANCE')).toBe(true);
    expect(isParticipantPurpose('legal-basis:LAW_ENFORCEMENT')).toBe(false);
    expect(isParticipantPurpose('application:123')).toBe(false);
  });
});
