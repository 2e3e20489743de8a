import { loadRealm } from '@simpul/identity';
import { DEFAULT_SERVICE_CATALOGUE_PATH, loadServiceCatalogue } from './service-catalogue';

// The catalogue and the realm Keycloak imports (infra/keycloak/simpul-realm.json) must agree: every
// participant fanned out to can authenticate, as a confidential client whose service account carries
// its participant role (and an agency's agency role). Checked here, beside the catalogue: the identity
// package knows no service.

const catalogue = loadServiceCatalogue(DEFAULT_SERVICE_CATALOGUE_PATH);
const realm = loadRealm();
const participants = [...catalogue.participants.values()];
const grantedRoles = new Set([...realm.serviceAccounts.values()].flatMap((account) => account.realmRoles));

describe('the service catalogue against the realm', () => {
  it.each(participants.map((participant) => [participant.code, participant.kind] as const))('%s (%s) has its roles in the realm', (code, kind) => {
    const expected = kind === 'AGENCY' ? [`participant:${code}`, `agency:${code}`] : [`participant:${code}`];
    for (const role of expected) expect(realm.roles.has(role) ? role : `missing ${role}`).toBe(role);
  });

  it.each(participants.map((participant) => participant.code))('%s has a confidential client whose service account carries participant:<code>', (code) => {
    const role = `participant:${code}`;
    expect(grantedRoles.has(role) ? role : `no client for ${role}`).toBe(role);
  });
});
