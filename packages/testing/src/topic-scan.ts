/** What the scan needs of an event transport (@simpul/events' EventTransport has both). */
export interface TopicReader {
  listTopics(): Promise<string[]>;
  read(topic: string): Promise<Array<{ partition: number; offset: string; key: string | null; value: string; headers: Record<string, string> }>>;
}

export interface CivilRegistryNumberScan {
  /** Every topic on the broker, each read in full. */
  topics: string[];
  /** Messages read. */
  scanned: number;
  /** Whether a known NIK was seen on an entitled topic: the scan can see one where it is allowed. */
  sawNikWhereEntitled: boolean;
  /** `<topic>@<partition>:<offset> carries …` for each 16-digit number outside the entitled topics. */
  leaks: string[];
}

const TRACEPARENT = /00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}/g;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const SIXTEEN_DIGITS = /(?<!\d)\d{16}(?!\d)/g;

/**
 * Reads every topic on the broker and reports each 16-digit civil-registry number (a NIK, a KK
 * number, a child's NIK on a KIA) found in a message's key, value or headers on a topic not in
 * `entitledTopics` (the task topics of participants entitled to NIKs). A topic's dead letters
 * (`<topic>.dlq`) are as entitled as the topic.
 */
export async function scanTopicsForCivilRegistryNumbers(
  reader: TopicReader,
  options: { entitledTopics: readonly string[]; knownNiks: ReadonlySet<string> },
): Promise<CivilRegistryNumberScan> {
  const entitled = new Set(options.entitledTopics);
  const topics = await reader.listTopics();
  const scan: CivilRegistryNumberScan = { topics, scanned: 0, sawNikWhereEntitled: false, leaks: [] };
  for (const topic of topics) {
    const isEntitled = entitled.has(topic.replace(/\.dlq$/, ''));
    for (const message of await reader.read(topic)) {
      scan.scanned += 1;
      // Trace ids and UUIDs are hex: one that happens to be all digits is no NIK. Blank them out first.
      const text = `${message.key ?? ''} ${message.value} ${Object.values(message.headers).join(' ')}`.replace(TRACEPARENT, ' ').replace(UUID, ' ');
      const numbers = text.match(SIXTEEN_DIGITS) ?? [];
      if (isEntitled) {
        scan.sawNikWhereEntitled ||= numbers.some((number) => options.knownNiks.has(number));
        continue;
      }
      for (const number of numbers) {
        scan.leaks.push(`${topic}@${message.partition}:${message.offset} carries ${options.knownNiks.has(number) ? 'the NIK' : 'the 16-digit number'} ${number}`);
      }
    }
  }
  return scan;
}
