import { join } from 'node:path';
import { catalogueCodeSchema, issuedDocumentSchema, participantCodeSchema, type TaskDecision } from '@simpul/events';
import { z } from 'zod';
import { JsonState } from './json-state';

/** What a participant decided about one task, and the report that told Simpul. */
export interface DecisionRecord {
  taskId: string;
  applicationId: string;
  participant: string;
  taskKind: string;
  decision: TaskDecision;
  /**
   * Id of the status report: the `mpp.task.status` event id (events) or the report's `eventId`
   * (webhooks). A redelivered task re-sends the report with this same id, so Simpul applies it once.
   */
  reportEventId: string;
  /** When the decision was made (the report's `occurredAt`), ISO 8601. */
  decidedAt: string;
  /** Webhook mode: when Simpul accepted the report (202). Unset: the report still has to be sent. */
  reportedAt?: string;
  /** From the task's event, carried on the report. */
  correlationId: string;
  traceparent: string;
}

/**
 * Remembers each task's decision, keyed by taskId, so a task delivered again (at-least-once) gets the
 * decision already made instead of a second one: side effects such as opening an account happen once.
 */
export interface DecisionStore {
  get(taskId: string): Promise<DecisionRecord | undefined>;
  /** Saves (or replaces) a task's record durably; the connector reports a decision only after this. */
  put(record: DecisionRecord): Promise<void>;
  /** Records without `reportedAt` (webhook mode re-sends their reports after a restart). */
  unreported(): Promise<DecisionRecord[]>;
  close(): Promise<void>;
}

export const taskDecisionSchema: z.ZodType<TaskDecision> = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('APPROVED'), documents: z.array(issuedDocumentSchema).optional(), note: z.string().min(1).max(500).optional() }),
  z.strictObject({ status: z.literal('REJECTED'), reason: z.string().min(1).max(500) }),
  z.strictObject({ status: z.literal('IN_REVIEW'), note: z.string().min(1).max(500).optional() }),
]);

export const decisionRecordSchema: z.ZodType<DecisionRecord> = z.strictObject({
  taskId: z.uuid(),
  applicationId: z.uuid(),
  participant: participantCodeSchema,
  taskKind: catalogueCodeSchema,
  decision: taskDecisionSchema,
  reportEventId: z.uuid(),
  decidedAt: z.iso.datetime({ offset: true }),
  reportedAt: z.iso.datetime({ offset: true }).optional(),
  correlationId: z.uuid(),
  traceparent: z.string().min(1),
});

/** Keeps decisions in this process only: a restart forgets them (tests, stateless demos). */
export class InMemoryDecisionStore implements DecisionStore {
  private readonly records = new Map<string, DecisionRecord>();

  async get(taskId: string): Promise<DecisionRecord | undefined> {
    const record = this.records.get(taskId);
    return record && structuredClone(record);
  }

  async put(record: DecisionRecord): Promise<void> {
    this.records.set(record.taskId, structuredClone(decisionRecordSchema.parse(record)));
  }

  async unreported(): Promise<DecisionRecord[]> {
    return [...this.records.values()].filter((record) => !record.reportedAt).map((record) => structuredClone(record));
  }

  async close(): Promise<void> {}
}

const decisionFileSchema = z.strictObject({
  version: z.literal(1),
  decisions: z.record(z.string(), decisionRecordSchema),
});

/** The file a FileDecisionStore keeps in its data directory. */
export const DECISIONS_FILE = 'decisions.json';

/** Keeps decisions in `<dataDir>/decisions.json` (written atomically; one process per directory). */
export class FileDecisionStore implements DecisionStore {
  private constructor(private readonly state: JsonState<z.output<typeof decisionFileSchema>>) {}

  static async open(dataDir: string): Promise<FileDecisionStore> {
    const state = await JsonState.open({
      file: join(dataDir, DECISIONS_FILE),
      schema: decisionFileSchema,
      initial: () => ({ version: 1 as const, decisions: {} }),
    });
    return new FileDecisionStore(state);
  }

  get path(): string {
    return this.state.path!;
  }

  async get(taskId: string): Promise<DecisionRecord | undefined> {
    const record = this.state.value.decisions[taskId];
    return record && structuredClone(record);
  }

  async put(record: DecisionRecord): Promise<void> {
    const checked = decisionRecordSchema.parse(record);
    await this.state.update((draft) => {
      draft.decisions[checked.taskId] = checked;
    });
  }

  async unreported(): Promise<DecisionRecord[]> {
    return Object.values(this.state.value.decisions)
      .filter((record) => !record.reportedAt)
      .map((record) => structuredClone(record));
  }

  close(): Promise<void> {
    return this.state.close();
  }
}

/** A FileDecisionStore in `dataDir`, or an in-memory store when there is none. */
export async function openDecisionStore(dataDir: string | undefined): Promise<DecisionStore> {
  return dataDir ? FileDecisionStore.open(dataDir) : new InMemoryDecisionStore();
}
