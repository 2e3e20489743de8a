import { EnvError } from '@simpul/service-kit';
import { DEFAULT_SERVICE_CATALOGUE_PATH, loadServiceCatalogue } from '../catalogue/service-catalogue';
import { DEFAULT_WEBHOOK_DELIVERY, loadWebhookConfig, webhookVariables } from './webhook-config';

const catalogue = loadServiceCatalogue(DEFAULT_SERVICE_CATALOGUE_PATH);
const SECRET = 'bank-bpd-shared-secret-0123456789';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadWebhookConfig(env, catalogue);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  throw new Error('expected an EnvError');
}

describe('loadWebhookConfig', () => {
  it('names the variables after the participant code in upper snake case', () => {
    expect(webhookVariables('bank-bpd')).toEqual({ url: 'WEBHOOK_URL_BANK_BPD', secret: 'WEBHOOK_SECRET_BANK_BPD' });
    expect(webhookVariables('bpjs-kesehatan')).toEqual({ url: 'WEBHOOK_URL_BPJS_KESEHATAN', secret: 'WEBHOOK_SECRET_BPJS_KESEHATAN' });
  });

  it('makes a participant with a URL and a secret a webhook participant, the others not', () => {
    const config = loadWebhookConfig(
      {
        PATH: '/usr/bin',
        WEBHOOK_URL_BANK_BPD: 'https://bpd.example.co.id/simpul/tasks',
        WEBHOOK_SECRET_BANK_BPD: SECRET,
        WEBHOOK_URL_BPJS_KESEHATAN: 'http://127.0.0.1:4100/tasks',
        WEBHOOK_SECRET_BPJS_KESEHATAN: `${SECRET}-bpjs`,
        WEBHOOK_URL_PLN: '',
      },
      catalogue,
    );
    expect([...config.participants.values()]).toEqual([
      { code: 'bank-bpd', url: 'https://bpd.example.co.id/simpul/tasks', secret: SECRET },
      { code: 'bpjs-kesehatan', url: 'http://127.0.0.1:4100/tasks', secret: `${SECRET}-bpjs` },
    ]);
    expect(config.delivery).toEqual(DEFAULT_WEBHOOK_DELIVERY);
  });

  it('has no webhook participants and the default delivery without WEBHOOK_* variables', () => {
    expect(loadWebhookConfig({}, catalogue)).toEqual({ participants: new Map(), delivery: DEFAULT_WEBHOOK_DELIVERY });
  });

  it('reads the delivery settings', () => {
    const config = loadWebhookConfig({ WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_BACKOFF_INITIAL_MS: '10', WEBHOOK_BACKOFF_MAX_MS: '50' }, catalogue);
    expect(config.delivery).toEqual({ maxAttempts: 3, backoff: { initialMs: 10, maxMs: 50 }, timeoutMs: 10_000 });
  });

  it('lists every bad variable at once', () => {
    const problems = problemsOf({
      WEBHOOK_URL_BANK_BPD: 'https://bpd.example.co.id/tasks',
      WEBHOOK_URL_PLN: 'not a url',
      WEBHOOK_SECRET_PLN: 'short',
      WEBHOOK_URL_TAX: 'ftp://tax.example/tasks',
      WEBHOOK_SECRET_TAX: ` ${SECRET}`,
      WEBHOOK_SECRET_DUKCAPIL: SECRET,
      WEBHOOK_URL_BANK_JATIM: 'https://jatim.example/tasks',
      WEBHOOK_SECRETS_POLICE: SECRET,
      WEBHOOK_MAX_ATTEMPTS: '0',
    });
    expect(problems).toEqual([
      'WEBHOOK_MAX_ATTEMPTS: Too small: expected number to be >=1',
      'WEBHOOK_SECRETS_POLICE: unknown variable; expected WEBHOOK_URL_<PARTICIPANT>, WEBHOOK_SECRET_<PARTICIPANT> or WEBHOOK_MAX_ATTEMPTS, WEBHOOK_BACKOFF_INITIAL_MS, WEBHOOK_BACKOFF_MAX_MS',
      'WEBHOOK_URL_BANK_JATIM: the service catalogue has no participant BANK_JATIM (it lists DUKCAPIL, LICENSING, TAX, IMMIGRATION, POLICE, RELIGIOUS_AFFAIRS, BANK_BPD, PLN, BPJS_KESEHATAN)',
      'WEBHOOK_SECRET_DUKCAPIL: set without WEBHOOK_URL_DUKCAPIL (where dukcapil\'s tasks are sent)',
      'WEBHOOK_URL_TAX: must be an http(s) URL',
      'WEBHOOK_SECRET_TAX: must not begin or end with whitespace',
      'WEBHOOK_SECRET_BANK_BPD: required when WEBHOOK_URL_BANK_BPD is set (a shared secret of at least 24 characters)',
      'WEBHOOK_URL_PLN: not a URL',
      'WEBHOOK_SECRET_PLN: must be at least 24 characters',
    ]);
  });

  it('wants https in production, and no credentials in the URL', () => {
    expect(problemsOf({ NODE_ENV: 'production', WEBHOOK_URL_BANK_BPD: 'http://bpd.example/tasks', WEBHOOK_SECRET_BANK_BPD: SECRET })).toEqual([
      'WEBHOOK_URL_BANK_BPD: must be https in production',
    ]);
    expect(problemsOf({ WEBHOOK_URL_BANK_BPD: 'https://user:pass@bpd.example/tasks', WEBHOOK_SECRET_BANK_BPD: SECRET })).toEqual([
      'WEBHOOK_URL_BANK_BPD: must not carry credentials (the signature authenticates Simpul)',
    ]);
    expect(loadWebhookConfig({ NODE_ENV: 'production', WEBHOOK_URL_BANK_BPD: 'https://bpd.example/tasks', WEBHOOK_SECRET_BANK_BPD: SECRET }, catalogue).participants.size).toBe(1);
  });

  it('refuses a backoff whose maximum is below its start', () => {
    expect(problemsOf({ WEBHOOK_BACKOFF_INITIAL_MS: '5000', WEBHOOK_BACKOFF_MAX_MS: '100' })).toEqual([
      'WEBHOOK_BACKOFF_MAX_MS: must be at least WEBHOOK_BACKOFF_INITIAL_MS',
    ]);
  });
});
