import { SUBGRAPHS, defaultSubgraphUrl, subgraphTimeoutVariable, subgraphUrlVariable } from './topology';

describe('subgraph topology', () => {
  it('names the gateway variables of a subgraph', () => {
    expect(subgraphUrlVariable('religious-affairs')).toBe('SUBGRAPH_RELIGIOUS_AFFAIRS_URL');
    expect(subgraphTimeoutVariable('religious-affairs')).toBe('SUBGRAPH_RELIGIOUS_AFFAIRS_TIMEOUT_MS');
    expect(subgraphTimeoutVariable('tax')).toBe('SUBGRAPH_TAX_TIMEOUT_MS');
  });

  it('gives every subgraph its own default port', () => {
    expect(new Set(SUBGRAPHS.map((s) => s.port)).size).toBe(SUBGRAPHS.length);
    expect(defaultSubgraphUrl('police')).toBe('http://127.0.0.1:4005/graphql');
    expect(defaultSubgraphUrl('audit')).toBe('http://127.0.0.1:4008/graphql');
  });
});
