import { metricsText, operationLabel, registerOutboxProbe } from './metrics';

describe('metrics', () => {
  it('keeps client-chosen operation names that could carry a NIK or KK out of the labels', () => {
    expect(operationLabel('UnifiedProfile')).toBe('UnifiedProfile');
    expect(operationLabel(undefined)).toBe('anonymous');
    expect(operationLabel('q3510012345678901')).toBe('other');
    expect(operationLabel('Budi Santoso')).toBe('other');
  });

  it('bounds the distinct operation names', () => {
    const labels = Array.from({ length: 300 }, (_, i) => operationLabel(`Op${String.fromCharCode(97 + (i % 26))}${Math.floor(i / 26)}`));
    expect(labels.filter((label) => label === 'other').length).toBeGreaterThanOrEqual(100);
  });

  it('reads each outbox backlog at scrape time, and leaves out one whose database fails', async () => {
    const removeGood = registerOutboxProbe('applications.outbox', async () => ({ unpublished: 7, oldestAgeSeconds: 12.5 }));
    const removeBad = registerOutboxProbe('tax.outbox', () => Promise.reject(new Error('database down')));
    try {
      const text = await metricsText();
      expect(text).toMatch(/^simpul_outbox_unpublished_events\{outbox="applications.outbox"\} 7$/m);
      expect(text).toMatch(/^simpul_outbox_oldest_unpublished_age_seconds\{outbox="applications.outbox"\} 12.5$/m);
      expect(text).not.toContain('outbox="tax.outbox"');
    } finally {
      removeGood();
      removeBad();
    }
    expect(await metricsText()).not.toContain('outbox="applications.outbox"');
  });
});
