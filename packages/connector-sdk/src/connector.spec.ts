import { ConnectorConfigError, startParticipantConnector } from './connector';

const approve = async () => ({ status: 'APPROVED' as const });

describe('startParticipantConnector configuration', () => {
  it('lists every problem at once before opening anything', async () => {
    const starting = startParticipantConnector({
      participant: 'Bank BPD',
      handlers: { open_account: approve, COLLECT_FEE: 'not a function' as never },
      mode: { kind: 'webhook', port: 0, secret: 'x'.repeat(23), statusUrl: 'ftp://simpul/status', path: '/readyz', acknowledge: 'later' as never },
    });
    await expect(starting).rejects.toBeInstanceOf(ConnectorConfigError);
    const problems = await starting.catch((error: ConnectorConfigError) => error.problems);
    expect(problems).toEqual([
      expect.stringMatching(/^participant: "Bank BPD" is not a participant code/),
      expect.stringMatching(/^handlers\.open_account: task kinds are UPPER_SNAKE_CASE/),
      'handlers.COLLECT_FEE: not a function',
      'mode.secret: at least 24 characters',
      'mode.statusUrl: expected an http(s) URL, got "ftp://simpul/status"',
      'mode.path: /readyz is the health endpoint',
      'mode.acknowledge: expected report-accepted or decision-stored, got "later"',
    ]);
  });

  it('needs at least one handler', async () => {
    await expect(startParticipantConnector({ participant: 'pln', handlers: {}, mode: { kind: 'events', env: {} } })).rejects.toMatchObject({
      problems: ['handlers: give a handler for at least one task kind'],
    });
  });
});
