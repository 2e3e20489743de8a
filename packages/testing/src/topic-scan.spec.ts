import { scanTopicsForCivilRegistryNumbers, type TopicReader } from './topic-scan';

const NIK = '3510014101900001';
const KK = '3510010101900077';

function broker(topics: Record<string, string[]>): TopicReader {
  return {
    listTopics: async () => Object.keys(topics),
    read: async (topic) => (topics[topic] ?? []).map((value, offset) => ({ partition: 0, offset: String(offset), key: null, value, headers: {} })),
  };
}

describe('scanTopicsForCivilRegistryNumbers', () => {
  it('reads every topic, the shared status topic too, and reports a KK number there', async () => {
    const scan = await scanTopicsForCivilRegistryNumbers(
      broker({
        'mpp.task.assigned.dukcapil.v1': [JSON.stringify({ inputs: { groomNik: NIK } })],
        'mpp.task.status.v1': [JSON.stringify({ documents: [{ kind: 'FAMILY_CARD', number: KK }] })],
      }),
      { entitledTopics: ['mpp.task.assigned.dukcapil.v1'], knownNiks: new Set([NIK]) },
    );
    expect(scan).toEqual({
      topics: ['mpp.task.assigned.dukcapil.v1', 'mpp.task.status.v1'],
      scanned: 2,
      sawNikWhereEntitled: true,
      leaks: [`mpp.task.status.v1@0:0 carries the 16-digit number ${KK}`],
    });
  });

  it('treats an entitled topic’s dead letters as entitled, and ignores all-digit trace ids and UUID parts', async () => {
    const scan = await scanTopicsForCivilRegistryNumbers(
      broker({
        'mpp.task.assigned.dukcapil.v1.dlq': [NIK],
        'mpp.task.assigned.pln.v1': [`00-${'1'.repeat(32)}-${'2'.repeat(16)}-01 12345678-1234-1234-1234-123456789012 ${NIK}`],
      }),
      { entitledTopics: ['mpp.task.assigned.dukcapil.v1'], knownNiks: new Set([NIK]) },
    );
    expect(scan.leaks).toEqual([`mpp.task.assigned.pln.v1@0:0 carries the NIK ${NIK}`]);
  });
});
