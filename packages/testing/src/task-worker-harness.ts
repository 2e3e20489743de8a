import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  auditNikHash,
  AuditUnavailableError,
  CollectingAuditRecorder,
  type AuditAccessKind,
  type AuditBatch,
  type AuditRecorder,
  type AuditSink,
} from '@simpul/service-kit';

// What the agency services' task tests share: tasks assigned as the applications service assigns
// them, decided by a handler in a transaction (as the worker does) or by the real worker over an
// embedded broker, with the audit records a decision leaves.
//
// @simpul/events cannot be a dependency of this package (its own tests use this package), so a test
// hands the harness the module: `taskWorkerHarness({ events, … })` after `import * as events from
// '@simpul/events'`, and the task types come from the handlers it is given.

/** Polls `probe` until it returns something other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What a decision recorded of a citizen's data: whose (NIK hash), what kind, which fields. */
export interface AuditedAccess {
  nikHash: string;
  kind: AuditAccessKind;
  fields: string[];
}

/** The audit log a task worker appends to in a test: it keeps every batch, or refuses them all while `down`. */
export interface RecordingAuditLog extends AuditSink {
  readonly batches: AuditBatch[];
  down: boolean;
  /** How many batches it refused while down. */
  refused: number;
  /** The records of an application's tasks (purpose `application:<id>`), in order. */
  accessesFor(applicationId: string): AuditedAccess[];
}

export function recordingAuditLog(): RecordingAuditLog {
  const batches: AuditBatch[] = [];
  const log: RecordingAuditLog = {
    batches,
    down: false,
    refused: 0,
    async append(batch) {
      if (log.down) {
        log.refused++;
        throw new AuditUnavailableError('audit log down');
      }
      batches.push(batch);
    },
    accessesFor(applicationId) {
      return batches
        .flatMap((batch) => batch.records)
        .filter((record) => record.purpose === `application:${applicationId}`)
        .map(({ nikHash, kind, fields }) => ({ nikHash, kind, fields }));
    },
  };
  return log;
}

/** A citizen's access with the NIK read back from its hash (`nikHash:<hash>` for a NIK not given). */
export interface CitizenAccess {
  citizen: string;
  kind: AuditAccessKind;
  fields: string[];
}

/** One entry per citizen and kind, fields sorted, in a stable order. */
export function mergedAccesses(accesses: readonly CitizenAccess[]): CitizenAccess[] {
  const byKey = new Map<string, CitizenAccess>();
  for (const { citizen, kind, fields } of accesses) {
    const key = `${citizen} ${kind}`;
    byKey.set(key, { citizen, kind, fields: [...new Set([...(byKey.get(key)?.fields ?? []), ...fields])].sort() });
  }
  return [...byKey.values()].sort((a, b) => `${a.citizen} ${a.kind}`.localeCompare(`${b.citizen} ${b.kind}`));
}

/**
 * Audited accesses as they read for the citizens of a test world: the hash of each of `niks` read
 * back as the NIK, merged (mergedAccesses) by `of`, to compare with the expected
 * `merged([read(nik, fields), change(nik, fields)…])`.
 */
export function citizenAccesses(nikHashPepper: string, niks: Iterable<string>) {
  const niksByHash = new Map([...niks].map((nik) => [auditNikHash(nik, nikHashPepper), nik]));
  const citizenOf = (nikHash: string) => niksByHash.get(nikHash) ?? `nikHash:${nikHash}`;
  const access = (kind: AuditAccessKind) => (nik: string, fields: readonly string[]): CitizenAccess => ({ citizen: citizenOf(auditNikHash(nik, nikHashPepper)), kind, fields: [...fields] });
  return {
    read: access('READ'),
    change: access('CHANGE'),
    merged: mergedAccesses,
    of: (audited: readonly AuditedAccess[]): CitizenAccess[] => mergedAccesses(audited.map(({ nikHash, kind, fields }) => ({ citizen: citizenOf(nikHash), kind, fields }))),
  };
}

/** The fields of @simpul/events' AssignedTask: a task as a participant's handler gets it. */
export interface TestAssignedTask {
  taskId: string;
  applicationId: string;
  applicationType: string;
  participant: string;
  taskKind: string;
  inputs: Record<string, unknown>;
  dueAt: string;
  attempt: number;
  eventId: string;
  correlationId: string;
}

/** Which task of which application: new ids unless given. */
export interface TaskIds {
  taskId?: string;
  applicationId?: string;
  attempt?: number;
}

/** How the applications service assigns a participant's tasks in a test. */
export interface TaskAssignment {
  participant: string;
  /** Default `TEST_APPLICATION`. */
  applicationType?: string;
  /** Default: a day from now. */
  dueAt?: () => string;
}

function taskData(assignment: TaskAssignment, taskKind: string, inputs: Record<string, unknown>, ids: TaskIds = {}): Omit<TestAssignedTask, 'eventId' | 'correlationId'> {
  return {
    taskId: ids.taskId ?? randomUUID(),
    applicationId: ids.applicationId ?? randomUUID(),
    applicationType: assignment.applicationType ?? 'TEST_APPLICATION',
    participant: assignment.participant,
    taskKind,
    inputs,
    dueAt: assignment.dueAt?.() ?? new Date(Date.now() + 86_400_000).toISOString(),
    attempt: ids.attempt ?? 1,
  };
}

type TaskHandlerLike<TTask, TTx, TDecision> = (task: TTask, tx: TTx, audit: AuditRecorder) => Promise<TDecision>;

export interface TaskDeciderOptions<TTask, TTx, TDecision> extends TaskAssignment {
  /** The participant's handlers by task kind (a getter: they may be made in beforeAll). */
  handlers: () => Record<string, TaskHandlerLike<TTask, TTx, TDecision>>;
  /** The participant's database, whose transactions the handlers run in. */
  db: () => { transaction<R>(run: (tx: NoInfer<TTx>) => Promise<R>): Promise<R> };
  nikHashPepper: string;
  /** When the records say the accesses happened (default: now). */
  now?: () => Date;
}

export interface TaskDecider<TTask, TTx, TDecision> {
  /** A task as the worker hands it to a handler (`eventId` and `correlationId` of its event). */
  assignedTask(taskKind: string, inputs: Record<string, unknown>, ids?: TaskIds): TTask;
  /**
   * Decides a task the way the worker does, without the inbox and outbox: the handler of its kind
   * (or of `handlers`) in one transaction of the database, reporting to an audit recorder.
   */
  decideAudited(
    taskKind: string,
    inputs: Record<string, unknown>,
    options?: TaskIds & { handlers?: Record<string, TaskHandlerLike<TTask, TTx, TDecision>> },
  ): Promise<{ decision: TDecision; task: TTask; audited: AuditedAccess[] }>;
  decide(taskKind: string, inputs: Record<string, unknown>, options?: TaskIds & { handlers?: Record<string, TaskHandlerLike<TTask, TTx, TDecision>> }): Promise<TDecision>;
}

export function taskDecider<TTask extends TestAssignedTask, TTx, TDecision>(options: TaskDeciderOptions<TTask, TTx, TDecision>): TaskDecider<TTask, TTx, TDecision> {
  const assignedTask = (taskKind: string, inputs: Record<string, unknown>, ids?: TaskIds): TTask => {
    const data = taskData(options, taskKind, inputs, ids);
    return { ...data, eventId: randomUUID(), correlationId: data.applicationId } as TTask;
  };
  const decideAudited: TaskDecider<TTask, TTx, TDecision>['decideAudited'] = async (taskKind, inputs, { handlers, ...ids } = {}) => {
    const handler = (handlers ?? options.handlers())[taskKind];
    if (!handler) throw new Error(`${options.participant} has no handler for ${taskKind}`);
    const task = assignedTask(taskKind, inputs, ids);
    const recorder = new CollectingAuditRecorder();
    const decision = await options.db().transaction((tx) => handler(task, tx, recorder));
    const records = recorder.records({
      actor: { actor: `service:${options.participant}`, actorType: 'client', client: `simpul-${options.participant}`, roles: [], purpose: `application:${task.applicationId}` },
      correlationId: task.correlationId,
      occurredAt: options.now?.() ?? new Date(),
      nikHashPepper: options.nikHashPepper,
    });
    return { decision, task, audited: records.map(({ nikHash, kind, fields }) => ({ nikHash, kind, fields })) };
  };
  return {
    assignedTask,
    decideAudited,
    decide: async (taskKind, inputs, decideOptions) => (await decideAudited(taskKind, inputs, decideOptions)).decision,
  };
}

/** A message as the embedded broker's client reads it. */
export interface BrokerMessage {
  value: string;
  headers: Record<string, string>;
}

/** An `mpp.task.assigned` event, as far as the harness looks into it. */
interface AssignedEnvelope {
  id: string;
  data: { taskId: string; applicationId: string };
}

/** An event of @simpul/events' SimpulEvent union, by type. */
export type EventOfType<TEvent, TType extends string> = Extract<TEvent, { type: TType }>;

/** What the harness runs of @simpul/events: a test passes the module itself, and its event types come with it. */
export interface TaskEvents<TEvent extends { type: string }> {
  startEmbeddedBroker(options: { dataDir: string; port: number; sync: boolean }): Promise<{ url: string; stop(): Promise<void> }>;
  EmbeddedTransport: new (options: { url: string; pollWaitMs: number }) => {
    connect(): Promise<void>;
    publish(topic: string, messages: Array<{ key: string; value: string; headers: Record<string, string> }>): Promise<void>;
    read(topic: string): Promise<BrokerMessage[]>;
    close(): Promise<void>;
  };
  createEvent(type: 'mpp.task.assigned', data: Omit<TestAssignedTask, 'eventId' | 'correlationId'>, meta: { source: string; subject: string; correlationId: string }): EventOfType<TEvent, 'mpp.task.assigned'>;
  serializeEvent(event: TEvent): string;
  eventHeaders(event: TEvent): Record<string, string>;
  parseEvent(input: string): { ok: true; event: TEvent } | { ok: false };
  taskAssignedTopic(participant: string): string;
  dlqTopic(topic: string): string;
  TASK_STATUS_TOPIC: string;
}

/** What a test's worker is started with: the broker (EVENTS_URL) and the harness's audit log. */
export interface TaskWorkerContext {
  eventsUrl: string;
  audit: { sink: AuditSink; nikHashPepper: string };
}

export interface TaskWorkerHarnessOptions<TEvent extends { type: string }> extends TaskAssignment {
  /** `import * as events from '@simpul/events'`. */
  events: TaskEvents<TEvent>;
  nikHashPepper: string;
}

export interface TaskWorkerHarness<TAssigned, TStatus> {
  /** The audit log the workers append to. */
  readonly auditLog: RecordingAuditLog;
  /** A temp dir, an embedded broker on it (any free port) and a client of it. */
  start(): Promise<void>;
  /** Starts a worker on the broker, stopped by `stop()` unless stopped before. */
  startWorker(start: (context: TaskWorkerContext) => Promise<{ stop(): Promise<void> }>): Promise<{ stop(): Promise<void> }>;
  /** Stops the workers, the client, the broker, and removes the temp dir (whatever of them started). */
  stop(): Promise<void>;
  /** An `mpp.task.assigned` event for the participant, as the applications service publishes it. */
  taskAssigned(taskKind: string, inputs: Record<string, unknown>, ids?: TaskIds): TAssigned;
  /** Publishes it as the applications service's relay does: keyed by application, so an application's tasks stay in order. */
  publish(event: TAssigned): Promise<void>;
  /** taskAssigned, then publish. */
  assign(taskKind: string, inputs: Record<string, unknown>, ids?: TaskIds): Promise<TAssigned>;
  /** The `mpp.task.status` events of a task published so far, in order. */
  statusesOf(taskId: string): Promise<TStatus[]>;
  /** Waits until a task has `count` statuses (or more), and returns them. */
  awaitStatuses(taskId: string, count?: number, timeoutMs?: number): Promise<TStatus[]>;
  /** Waits for the dead letter of a task event on the participant's DLQ topic. */
  deadLetterOf(event: TAssigned): Promise<BrokerMessage>;
}

/** The participant's task worker over an embedded broker, driven as the applications service would. */
export function taskWorkerHarness<TEvent extends { type: string }>(
  options: TaskWorkerHarnessOptions<TEvent>,
): TaskWorkerHarness<EventOfType<TEvent, 'mpp.task.assigned'>, EventOfType<TEvent, 'mpp.task.status'>> {
  type Assigned = EventOfType<TEvent, 'mpp.task.assigned'>;
  type Status = EventOfType<TEvent, 'mpp.task.status'>;
  // The contracts' types are the module's; what the harness reads of them is the same in every version.
  const envelope = (event: Assigned) => event as unknown as AssignedEnvelope;
  const { events, participant } = options;
  const auditLog = recordingAuditLog();
  let dataDir: string | undefined;
  let broker: Awaited<ReturnType<typeof events.startEmbeddedBroker>> | undefined;
  let client: InstanceType<typeof events.EmbeddedTransport> | undefined;
  const running = new Set<{ stop(): Promise<void> }>();
  const connected = () => {
    if (!client) throw new Error('start() the task worker harness first');
    return client;
  };

  const harness: TaskWorkerHarness<Assigned, Status> = {
    auditLog,
    async start() {
      dataDir = await mkdtemp(join(tmpdir(), `simpul-${participant}-tasks-`));
      broker = await events.startEmbeddedBroker({ dataDir, port: 0, sync: false });
      client = new events.EmbeddedTransport({ url: broker.url, pollWaitMs: 200 });
      await client.connect();
    },
    async startWorker(start) {
      if (!broker) throw new Error('start() the task worker harness first');
      const worker = await start({ eventsUrl: broker.url, audit: { sink: auditLog, nikHashPepper: options.nikHashPepper } });
      const handle = {
        async stop() {
          if (running.delete(handle)) await worker.stop();
        },
      };
      running.add(handle);
      return handle;
    },
    async stop() {
      for (const worker of [...running].reverse()) await worker.stop();
      await client?.close();
      await broker?.stop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
      [client, broker, dataDir] = [undefined, undefined, undefined];
    },
    taskAssigned(taskKind, inputs, ids) {
      const data = taskData(options, taskKind, inputs, ids);
      return events.createEvent('mpp.task.assigned', data, { source: 'applications', subject: data.applicationId, correlationId: data.applicationId });
    },
    async publish(event) {
      await connected().publish(events.taskAssignedTopic(participant), [{ key: envelope(event).data.applicationId, value: events.serializeEvent(event), headers: events.eventHeaders(event) }]);
    },
    async assign(taskKind, inputs, ids) {
      const event = harness.taskAssigned(taskKind, inputs, ids);
      await harness.publish(event);
      return event;
    },
    async statusesOf(taskId) {
      const messages = await connected().read(events.TASK_STATUS_TOPIC);
      return messages.flatMap((message) => {
        const parsed = events.parseEvent(message.value);
        return parsed.ok && isStatus(parsed.event) && parsed.event.data.taskId === taskId ? [parsed.event] : [];
      });
    },
    awaitStatuses(taskId, count = 1, timeoutMs) {
      return eventually(
        async () => {
          const statuses = await harness.statusesOf(taskId);
          return statuses.length >= count ? statuses : undefined;
        },
        `${count} status(es) of task ${taskId}`,
        timeoutMs,
      );
    },
    deadLetterOf(event) {
      const value = events.serializeEvent(event);
      const topic = events.dlqTopic(events.taskAssignedTopic(participant));
      return eventually(async () => (await connected().read(topic)).find((message) => message.value === value), `the dead letter of task event ${envelope(event).id}`);
    },
  };
  return harness;

  function isStatus(event: TEvent): event is Status & { data: { taskId: string } } {
    return event.type === 'mpp.task.status';
  }
}
