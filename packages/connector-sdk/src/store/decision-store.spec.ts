import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uuidv7 } from '@simpul/events';
import { DECISIONS_FILE, FileDecisionStore, InMemoryDecisionStore, openDecisionStore, type DecisionRecord } from './decision-store';

const record = (overrides: Partial<DecisionRecord> = {}): DecisionRecord => ({
  taskId: uuidv7(),
  applicationId: uuidv7(),
  participant: 'pln',
  taskKind: 'CONNECT_ELECTRICITY',
  decision: { status: 'APPROVED', documents: [{ kind: 'PLN_CUSTOMER_ID', number: '512345678901' }] },
  reportEventId: uuidv7(),
  decidedAt: '2026-11-30T10:00:00.000Z',
  correlationId: uuidv7(),
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  ...overrides,
});

describe('decision stores', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'simpul-decisions-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('in memory: returns what was put, as a copy', async () => {
    const store = new InMemoryDecisionStore();
    const saved = record();
    await store.put(saved);
    const found = await store.get(saved.taskId);
    expect(found).toEqual(saved);
    found!.decision = { status: 'REJECTED', reason: 'mutated' };
    expect(await store.get(saved.taskId)).toEqual(saved);
    expect(await store.get(uuidv7())).toBeUndefined();
  });

  it('in a file: survives a reopen (a restart)', async () => {
    const store = await FileDecisionStore.open(dir);
    const first = record();
    const second = record({ decision: { status: 'REJECTED', reason: 'address already connected' } });
    await store.put(first);
    await store.put(second);
    await store.close();
    expect(JSON.parse(await readFile(join(dir, DECISIONS_FILE), 'utf8')).decisions[first.taskId]).toEqual(first);

    const reopened = await openDecisionStore(dir);
    expect(await reopened.get(first.taskId)).toEqual(first);
    expect(await reopened.get(second.taskId)).toEqual(second);
    await reopened.close();
  });

  it.each([
    ['in memory', async () => new InMemoryDecisionStore()],
    ['in a file', async (dir: string) => FileDecisionStore.open(dir)],
  ])('%s: lists the records whose report Simpul has not accepted yet', async (_name, open) => {
    const store = await open(dir);
    const pending = record();
    await store.put(pending);
    await store.put(record({ reportedAt: '2026-11-30T10:00:01.000Z' }));
    expect(await store.unreported()).toEqual([pending]);
    await store.put({ ...pending, reportedAt: '2026-11-30T10:00:02.000Z' });
    expect(await store.unreported()).toEqual([]);
    await store.close();
  });

  it('refuses to store a malformed record', async () => {
    const store = await openDecisionStore(undefined);
    await expect(store.put(record({ reportEventId: 'not-a-uuid' }))).rejects.toThrow();
    await expect(store.put(record({ decision: { status: 'REJECTED', reason: '' } }))).rejects.toThrow();
  });
});
