import { parseTaskInputs as parseEventTaskInputs, PermanentEventError, taskStatusData, uuidv7, type AssignedTask, type EventOf, type TaskDecision } from '@simpul/events';
import type { z } from 'zod';
import { taskDecisionSchema, type DecisionRecord, type DecisionStore } from './store/decision-store';

/**
 * Decides one task kind with the participant's own rules and data. Return REJECTED (with a reason)
 * for a task the rules refuse; throw PermanentEventError (or use `parseTaskInputs`) for a task that
 * can never be processed, e.g. inputs that break the catalogue's contract; any other error is
 * retried. A handler runs once per taskId: keep its side effects keyed by `task.taskId` too, so a
 * crash between them and the stored decision does not repeat them.
 */
export type TaskHandler = (task: AssignedTask) => Promise<TaskDecision>;

/** One handler per task kind this participant performs (the catalogue's `taskKind`). */
export type TaskHandlers = Record<string, TaskHandler>;

export type UnprocessableTaskRule = 'OTHER_PARTICIPANT' | 'UNKNOWN_TASK_KIND' | 'INVALID_INPUTS' | 'INVALID_DECISION' | 'PERMANENT_FAILURE';

/** A task this connector can never process: dead-lettered (events) or refused with 422 (webhooks). */
export class UnprocessableTaskError extends PermanentEventError {
  constructor(
    readonly rule: UnprocessableTaskRule,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'UnprocessableTaskError';
  }
}

export type ConnectorErrorCode = 'UNKNOWN_TASK' | 'DECISION_FINAL' | 'REPORT_NOT_ACCEPTED';

/** An expected failure of the connector's API (e.g. `report` on a task it never decided). */
export class ConnectorError extends Error {
  constructor(
    readonly code: ConnectorErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}

/**
 * The task's inputs checked against what the handler expects; a mismatch is a broken contract
 * (catalogue, configuration), not a citizen's fault, so the task is dead-lettered, not rejected.
 */
export function parseTaskInputs<S extends z.ZodType>(task: AssignedTask, schema: S): z.output<S> {
  return parseEventTaskInputs(task, schema, {
    error: (problems) => new UnprocessableTaskError('INVALID_INPUTS', `task ${task.taskId} (${task.taskKind}) has invalid inputs: ${problems.slice(0, 5).join('; ')}`),
  });
}

/** A task as it arrived: what handlers see, plus the trace its report continues. */
export type ReceivedTask = AssignedTask & { traceparent: string };

export function taskOf(event: EventOf<'mpp.task.assigned'>): ReceivedTask {
  return { ...event.data, eventId: event.id, correlationId: event.correlationId, traceparent: event.traceparent };
}

/** The `mpp.task.status` data (events) a decision record reports. */
export function statusDataOf(record: DecisionRecord) {
  return taskStatusData(record, record.decision);
}

export interface DecidedTask {
  record: DecisionRecord;
  /** True when the task had been decided before (a redelivery): the stored decision is returned. */
  replayed: boolean;
}

/**
 * Decides each task once: the first delivery runs the handler and stores the decision before it is
 * reported; later deliveries get the stored one. Deliveries of one task are serialised in-process.
 */
export class TaskDecider {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly options: {
      participant: string;
      handlers: TaskHandlers;
      store: DecisionStore;
      now: () => Date;
    },
  ) {}

  get taskKinds(): string[] {
    return Object.keys(this.options.handlers);
  }

  /** Why this connector can never process `task`, checked before anything else. */
  refusal(task: Pick<AssignedTask, 'taskId' | 'participant' | 'taskKind'>): UnprocessableTaskError | undefined {
    const { participant, handlers } = this.options;
    if (task.participant !== participant) {
      return new UnprocessableTaskError('OTHER_PARTICIPANT', `task ${task.taskId} is for ${task.participant}, not ${participant}`);
    }
    if (!Object.hasOwn(handlers, task.taskKind)) {
      return new UnprocessableTaskError('UNKNOWN_TASK_KIND', `${participant} does not perform task kind ${task.taskKind} (it performs ${this.taskKinds.join(', ') || 'none'})`);
    }
    return undefined;
  }

  decide(task: ReceivedTask): Promise<DecidedTask> {
    return this.exclusive(task.taskId, async () => {
      const refusal = this.refusal(task);
      if (refusal) throw refusal;
      const stored = await this.options.store.get(task.taskId);
      if (stored) return { record: stored, replayed: true };

      let decision: TaskDecision;
      try {
        decision = await this.options.handlers[task.taskKind]!(task);
      } catch (error) {
        if (error instanceof PermanentEventError && !(error instanceof UnprocessableTaskError)) {
          throw new UnprocessableTaskError('PERMANENT_FAILURE', error.message, { cause: error });
        }
        throw error;
      }
      const record: DecisionRecord = {
        taskId: task.taskId,
        applicationId: task.applicationId,
        participant: task.participant,
        taskKind: task.taskKind,
        decision: checkDecision(task, decision),
        reportEventId: uuidv7(),
        decidedAt: this.options.now().toISOString(),
        correlationId: task.correlationId,
        traceparent: task.traceparent,
      };
      await this.options.store.put(record);
      return { record, replayed: false };
    });
  }

  /**
   * A later decision on a task left IN_REVIEW (a person decided): stored with a new report id.
   * Repeating the call with the same final decision returns the stored record (to retry its report).
   */
  revise(taskId: string, decision: TaskDecision): Promise<DecidedTask> {
    return this.exclusive(taskId, async () => {
      const stored = await this.options.store.get(taskId);
      if (!stored) throw new ConnectorError('UNKNOWN_TASK', `task ${taskId} has not been decided by this connector`);
      const checked = checkDecision(stored, decision);
      if (stored.decision.status !== 'IN_REVIEW') {
        if (sameDecision(stored.decision, checked)) return { record: stored, replayed: true };
        throw new ConnectorError('DECISION_FINAL', `task ${taskId} was already ${stored.decision.status}; a final decision is not changed`);
      }
      if (sameDecision(stored.decision, checked)) return { record: stored, replayed: true };
      const { reportedAt: _reported, ...unchanged } = stored;
      const record: DecisionRecord = { ...unchanged, decision: checked, reportEventId: uuidv7(), decidedAt: this.options.now().toISOString() };
      await this.options.store.put(record);
      return { record, replayed: false };
    });
  }

  /** Notes that Simpul accepted the report of `record` (unless the record was revised meanwhile). */
  markReported(record: DecisionRecord): Promise<void> {
    return this.exclusive(record.taskId, async () => {
      const stored = await this.options.store.get(record.taskId);
      if (!stored || stored.reportEventId !== record.reportEventId || stored.reportedAt) return;
      await this.options.store.put({ ...stored, reportedAt: this.options.now().toISOString() });
    });
  }

  private async exclusive<R>(taskId: string, work: () => Promise<R>): Promise<R> {
    const previous = this.locks.get(taskId) ?? Promise.resolve();
    const current = previous.then(work, work);
    const settled = current.catch(() => undefined);
    this.locks.set(taskId, settled);
    try {
      return await current;
    } finally {
      if (this.locks.get(taskId) === settled) this.locks.delete(taskId);
    }
  }
}

function checkDecision(task: Pick<AssignedTask, 'taskId' | 'taskKind'>, decision: TaskDecision): TaskDecision {
  const parsed = taskDecisionSchema.safeParse(decision);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(decision)'}: ${issue.message}`);
  throw new UnprocessableTaskError('INVALID_DECISION', `the ${task.taskKind} handler returned an invalid decision for task ${task.taskId}: ${issues.join('; ')}`);
}

/** Field by field (not by prototype: records may come from another realm, e.g. a structured clone). */
function sameDecision(a: TaskDecision, b: TaskDecision): boolean {
  const canonical = (decision: TaskDecision) =>
    JSON.stringify([
      decision.status,
      'reason' in decision ? decision.reason : null,
      'note' in decision ? (decision.note ?? null) : null,
      'documents' in decision ? (decision.documents ?? []).map((document) => [document.kind, document.number]) : [],
    ]);
  return canonical(a) === canonical(b);
}
