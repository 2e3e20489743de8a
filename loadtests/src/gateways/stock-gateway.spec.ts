import { readFileSync } from 'node:fs';
import { checkedInSupergraphPath } from './stock-gateway';

describe('checkedInSupergraphPath', () => {
  it("finds the gateway's checked-in supergraph through the gateway package's exports", () => {
    expect(checkedInSupergraphPath()).toMatch(/gateway\/supergraph\.graphql$/);
    expect(readFileSync(checkedInSupergraphPath(), 'utf8')).toContain('type Citizen');
  });
});
