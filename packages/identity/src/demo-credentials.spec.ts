import { DEMO_CREDENTIALS, demoServiceClient, serviceClientId } from './demo-credentials';

describe('serviceClientId', () => {
  it('names an agency subgraph agency-<name> and the applications service simpul-applications', () => {
    expect(serviceClientId('tax')).toBe('agency-tax');
    expect(serviceClientId('religious-affairs')).toBe('agency-religious-affairs');
    expect(serviceClientId('applications')).toBe('simpul-applications');
  });

  it('finds those clients in the demo realm, and none for the audit service', () => {
    for (const subgraph of ['dukcapil', 'licensing', 'tax', 'immigration', 'police', 'religious-affairs', 'applications']) {
      expect(demoServiceClient(subgraph)).toEqual(DEMO_CREDENTIALS.clients.find((client) => client.clientId === serviceClientId(subgraph)));
      expect(demoServiceClient(subgraph)?.clientSecret).toEqual(expect.any(String));
    }
    expect(demoServiceClient('audit')).toBeUndefined();
  });
});
