import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CollectingAuditRecorder, openDatabase, type AuditRecorder, type TransactionOf } from '@simpul/service-kit';
import { pgSchema } from 'drizzle-orm/pg-core';
import { uuidv7 } from '../contracts';
import { approvingOnce, taskApprovalTable, type ApprovalReadback } from './approving-once';
import type { AssignedTask, TaskDecision, TaskHandler } from './task-worker';

const participantSchema = pgSchema('approving_once_test');
const taskApprovals = taskApprovalTable(participantSchema);

// The DDL drizzle-kit generates for taskApprovalTable (as in the services' migrations).
function migrationsFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'simpul-migrations-'));
  mkdirSync(join(dir, 'meta'));
  writeFileSync(
    join(dir, '0000_init.sql'),
    [
      'CREATE SCHEMA "approving_once_test";',
      `CREATE TABLE "approving_once_test"."task_approval" ("task_id" uuid PRIMARY KEY NOT NULL, "application_id" uuid NOT NULL, "task_kind" text NOT NULL, "documents" jsonb NOT NULL, "note" text, "approved_at" timestamp with time zone DEFAULT now() NOT NULL);`,
    ].join('\n--> statement-breakpoint\n'),
  );
  writeFileSync(
    join(dir, 'meta', '_journal.json'),
    JSON.stringify({ version: '7', dialect: 'postgresql', entries: [{ idx: 0, version: '7', when: 1, tag: '0000_init', breakpoints: true }] }),
  );
  return dir;
}

function assigned(taskKind: string, taskId = uuidv7()): AssignedTask {
  return {
    taskId,
    applicationId: uuidv7(),
    applicationType: 'MARRIAGE_REGISTRATION',
    participant: 'religious-affairs',
    taskKind,
    inputs: {},
    dueAt: '2026-01-15T00:00:00.000Z',
    attempt: 1,
    eventId: uuidv7(),
    correlationId: uuidv7(),
  };
}

describe('approvingOnce', () => {
  let opened: Awaited<ReturnType<typeof openDatabase<{ taskApprovals: typeof taskApprovals }>>>;
  type Tx = TransactionOf<typeof opened.db>;

  beforeAll(async () => {
    opened = await openDatabase({ dataDir: 'memory://', schema: { taskApprovals }, serviceSchema: 'approving_once_test', migrationsFolder: migrationsFolder() });
  });
  afterAll(() => opened.close());

  /** A handler answering `decisions` in turn, noting its runs; a readback reporting the stored approval's documents. */
  function wrapped(decisions: TaskDecision[]) {
    const runs: string[] = [];
    const handler: TaskHandler<Tx> = async (task) => {
      runs.push(task.eventId);
      return decisions.shift()!;
    };
    const readback: ApprovalReadback = (task, approval, audit) => {
      for (const document of approval.documents) audit.access({ nik: document.number, typeName: 'Marriage', fieldName: task.taskKind, kind: 'READ' });
    };
    const handlers = approvingOnce(taskApprovals, { REGISTER_MARRIAGE: handler }, { REGISTER_MARRIAGE: readback });
    const decide = (task: AssignedTask, audit: AuditRecorder = new CollectingAuditRecorder()) =>
      opened.db.transaction((tx) => handlers.REGISTER_MARRIAGE(task, tx, audit));
    return { runs, decide };
  }

  it('answers a re-sent approved task from the stored approval, reporting what the answer discloses, without running the handler again', async () => {
    const approved: TaskDecision = { status: 'APPROVED', documents: [{ kind: 'MARRIAGE_CERTIFICATE', number: '3510014101100003' }], note: 'Akta Nikah issued' };
    const { runs, decide } = wrapped([approved, { status: 'REJECTED', reason: 'never asked' }]);
    const first = assigned('REGISTER_MARRIAGE');
    await expect(decide(first)).resolves.toEqual(approved);

    const resent = { ...first, eventId: uuidv7(), attempt: 2 };
    const accesses: unknown[] = [];
    const audit: AuditRecorder = { access: (entry) => void accesses.push(entry), recordChanges: async () => undefined };
    await expect(decide(resent, audit)).resolves.toEqual(approved);
    expect(runs).toEqual([first.eventId]);
    expect(accesses).toEqual([{ nik: '3510014101100003', typeName: 'Marriage', fieldName: 'REGISTER_MARRIAGE', kind: 'READ' }]);
    expect(await opened.db.$count(taskApprovals)).toBe(1);
  });

  it('stores an approval without documents or note as such', async () => {
    const { decide } = wrapped([{ status: 'APPROVED' }]);
    const task = assigned('REGISTER_MARRIAGE');
    await decide(task);
    const { runs, decide: decideAgain } = wrapped([]);
    await expect(decideAgain({ ...task, eventId: uuidv7() }, { access: () => undefined, recordChanges: async () => undefined })).resolves.toEqual({ status: 'APPROVED', documents: [] });
    expect(runs).toEqual([]);
  });

  it('decides rejected and in-review tasks again when re-sent, storing nothing for them', async () => {
    const { runs, decide } = wrapped([{ status: 'REJECTED', reason: 'the groom is already married' }, { status: 'IN_REVIEW', note: 'checked by hand' }, { status: 'REJECTED', reason: 'still married' }]);
    const task = assigned('REGISTER_MARRIAGE');
    const before = await opened.db.$count(taskApprovals);
    await expect(decide(task)).resolves.toEqual({ status: 'REJECTED', reason: 'the groom is already married' });
    await expect(decide({ ...task, eventId: uuidv7() })).resolves.toEqual({ status: 'IN_REVIEW', note: 'checked by hand' });
    await expect(decide({ ...task, eventId: uuidv7() })).resolves.toEqual({ status: 'REJECTED', reason: 'still married' });
    expect(runs).toHaveLength(3);
    expect(await opened.db.$count(taskApprovals)).toBe(before);
  });
});
