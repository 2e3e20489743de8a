import {
  APPLICATION_STATUS_TOPIC,
  EmbeddedTransport,
  KafkaTransport,
  taskAssignedTopic,
  type EventTransport,
} from '@simpul/events';
import { postGraphQL, startKafkaMockCluster, startStack, type Stack, type StackProcess } from '@simpul/testing';
import type { FanOutTransport } from '../bench-options';
import { postSubmit, runOpenLoop, runSubmitLoop, type SubmitLoopResult, type SubmitRecord } from '../load/submit-loop';
import {
  TRANSPORT_LABELS,
  renderFanOutSection,
  renderFanOutTable,
  renderFanOutUsage,
  renderOneAtATimeTable,
  renderOpenLoopTable,
  submitsPerSecond,
  type OpenLoopMeasurement,
  type SubmitFigures,
  type TransportMeasurement,
  type TransportResult,
} from '../report/fan-out-report';
import {
  applicationTimings,
  countOpen,
  emptyObservations,
  fanOutFigures,
  observeMessages,
  percentiles,
  type FanOutFigures,
  type SubmittedApplication,
  type TopicObservations,
} from '../report/fan-out-timings';
import type { ResourceUsage } from '../report/process-usage';
import type { SubmitAnswer, SubmitFailureKind } from '../workload/business-start';
import { businessOwners, businessStartBody, MEASURED_BUSINESS_PREFIX } from '../workload/business-start';
import type { BenchContext, OwnStackScenario, ScenarioOutcome } from './scenario';
import { stackProcesses } from './stack-processes';

const ID = 'fan-out';
const TITLE = 'Application fan-out';
/** Business names of the check applications, apart from the measured ones. */
const CHECK_PREFIX = 'UD Uji Awal';
/** Business names of the open-loop and one-at-a-time applications (the saturated run's are MEASURED_BUSINESS_PREFIX). */
const OPEN_LOOP_PREFIX = 'UD Uji Lepas';
const ONE_AT_A_TIME_PREFIX = 'UD Uji Satu';
/** How often the status topic is read while waiting for applications to finish. */
const STATUS_POLL_MS = 2_000;
/** … and while waiting for one application at a time (its COMPLETED time comes from the topic, not from this poll). */
const ONE_AT_A_TIME_POLL_MS = 200;
const FAILURE_SAMPLE_LIMIT = 3;
const SHOWN_LOG_LINES = 15;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A reader of the stack's topics: the same transport the services use. */
function topicReader(stack: Stack, kafkaBrokers: string[] | undefined): EventTransport {
  if (kafkaBrokers) {
    // The mock cluster delays a new group's first rebalance by ~3 s: the session must outlast it.
    return new KafkaTransport({
      brokers: kafkaBrokers,
      clientId: 'simpul-bench',
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 10_000,
      heartbeatIntervalMs: 1_000,
      maxWaitTimeMs: 100,
      timestampLookup: 'scan',
      logLevel: 'nothing',
    });
  }
  if (!stack.eventsUrl) throw new Error('the stack has neither Kafka nor an embedded broker');
  return new EmbeddedTransport({ url: stack.eventsUrl });
}

async function readStatuses(reader: EventTransport): Promise<TopicObservations> {
  return observeMessages(emptyObservations(), await reader.read(APPLICATION_STATUS_TOPIC));
}

/** Reads the status topic until every application has a final status or `deadline` (ms since epoch) passes. */
async function waitForFinalStatuses(
  reader: EventTransport,
  applications: readonly SubmittedApplication[],
  deadline: number,
  log: (line: string) => void,
  pollMs = STATUS_POLL_MS,
): Promise<TopicObservations> {
  let lastLogged = Date.now();
  for (;;) {
    const observations = await readStatuses(reader);
    const open = countOpen(applications, observations);
    if (open === 0 || Date.now() >= deadline) return observations;
    if (Date.now() - lastLogged > 10_000) {
      log(`  ${open} of ${applications.length} applications still open (${Math.ceil((deadline - Date.now()) / 1000)} s left)`);
      lastLogged = Date.now();
    }
    await sleep(Math.min(pollMs, Math.max(0, deadline - Date.now())));
  }
}

function accepted(startedAtMs: number, answer: SubmitAnswer): SubmittedApplication[] {
  if (!answer.ok) return [];
  return [
    {
      applicationId: answer.applicationId,
      submittedAtMs: startedAtMs,
      taskIds: answer.tasks.map((task) => task.id),
      releasedTaskIds: answer.tasks.filter((task) => !task.waitsForEarlierSteps).map((task) => task.id),
    },
  ];
}

/** The timings of `records`' applications from the status topic (already read) and their participants' task topics. */
async function figuresOf(reader: EventTransport, records: readonly SubmitRecord[], statuses: TopicObservations): Promise<{ figures: FanOutFigures; unreadable: number }> {
  const participants = [...new Set(records.flatMap(({ answer }) => (answer.ok ? answer.tasks.map((task) => task.participant) : [])))];
  for (const participant of participants) observeMessages(statuses, await reader.read(taskAssignedTopic(participant)));
  const applications = records.flatMap(({ startedAtMs, answer }) => accepted(startedAtMs, answer));
  return { figures: fanOutFigures(applicationTimings(applications, statuses)), unreadable: statuses.unreadable };
}

interface ApplicationState {
  status: string;
  tasks: { participant: string; status: string; reason: string | null }[];
}

/**
 * Why check applications did not complete, from the gateway (before measuring, so its load does not
 * count) and the last log lines of the processes whose tasks are still open.
 */
export async function describeStuckApplications(stack: Stack, ids: readonly string[]): Promise<string> {
  const lines: string[] = [];
  const silent = new Set<string>();
  for (const id of ids.slice(0, 3)) {
    try {
      const response = await postGraphQL<{ application: ApplicationState | null }>(
        stack.gatewayUrl,
        'query ($id: ID!) { application(id: $id) { status tasks { participant status reason } } }',
        { id },
      );
      const application = response.data?.application;
      if (!application) {
        lines.push(`- ${id}: the gateway does not answer (${response.errors?.map((error) => error.message).join('; ') ?? `HTTP ${response.status}`})`);
        continue;
      }
      const tasks = application.tasks.map((task) => `${task.participant} ${task.status}${task.reason ? ` (${task.reason})` : ''}`);
      lines.push(`- ${id}: ${application.status}; ${tasks.join(', ')}`);
      for (const task of application.tasks) if (['PENDING', 'ASSIGNED', 'RECEIVED'].includes(task.status)) silent.add(task.participant);
    } catch (error) {
      lines.push(`- ${id}: cannot ask the gateway: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const processes: Record<string, StackProcess | undefined> = { ...stack.subgraphs, ...stack.participants };
  for (const participant of silent) {
    const owner = processes[participant];
    if (!owner) continue;
    const log = owner.logs().slice(-SHOWN_LOG_LINES);
    lines.push('', `last ${log.length} log lines of ${participant}${owner.running ? '' : ' (not running)'}:`, ...(log.length ? log : ['(no output)']));
  }
  return lines.join('\n');
}

/**
 * Files `count` applications at once and waits for all to complete: the pipeline works on this
 * transport (every participant acts), and the processes are warm before the measured window.
 */
async function checkPipeline(context: BenchContext, stack: Stack, reader: EventTransport, owners: readonly string[], count: number): Promise<void> {
  const timeoutMs = context.options.timeoutSeconds * 1000;
  const answers = await Promise.all(
    Array.from({ length: count }, async (_, n) => ({ startedAtMs: Date.now(), answer: await postSubmit(stack.gatewayUrl, businessStartBody(owners, n, CHECK_PREFIX), timeoutMs, await stack.authHeaders()) })),
  );
  const refused = answers.flatMap(({ answer }) => (answer.ok ? [] : [`${answer.kind}: ${answer.sample}`]));
  if (refused.length > 0) throw new Error(`the gateway refused check applications:\n${refused.slice(0, FAILURE_SAMPLE_LIMIT).join('\n')}`);
  const applications = answers.flatMap(({ startedAtMs, answer }) => accepted(startedAtMs, answer));
  const deadline = Date.now() + context.options.fanOutWaitSeconds * 1000;
  const observations = await waitForFinalStatuses(reader, applications, deadline, context.log);
  const stuck = applications
    .filter((application) => observations.finalStatus.get(application.applicationId)?.status !== 'COMPLETED')
    .map((application) => application.applicationId);
  if (stuck.length > 0) {
    throw new Error(
      `${stuck.length} of ${count} check applications did not reach COMPLETED within ${context.options.fanOutWaitSeconds} s:\n` +
        (await describeStuckApplications(stack, stuck)),
    );
  }
}

function submitFigures(records: readonly SubmitRecord[], elapsedMs: number): SubmitFigures {
  const failures: Partial<Record<SubmitFailureKind, number>> = {};
  const failureSamples: string[] = [];
  for (const { answer } of records) {
    if (answer.ok) continue;
    failures[answer.kind] = (failures[answer.kind] ?? 0) + 1;
    if (failureSamples.length < FAILURE_SAMPLE_LIMIT && !failureSamples.includes(answer.sample)) failureSamples.push(answer.sample);
  }
  return {
    responses: records.length,
    failed: records.filter((record) => !record.answer.ok).length,
    failures,
    failureSamples,
    elapsedMs,
    responseMs: percentiles(records.map((record) => record.responseMs)),
  };
}

async function measureTransport(context: BenchContext, transport: FanOutTransport): Promise<TransportResult> {
  const { options, world, log } = context;
  const label = TRANSPORT_LABELS[transport];
  const stops: (() => Promise<void>)[] = [];
  const hold = (stop: () => Promise<void>) => {
    const release = context.stopOnInterrupt(stop);
    stops.push(async () => {
      release();
      await stop();
    });
  };
  try {
    let kafkaBrokers: string[] | undefined;
    if (transport === 'kafka') {
      const cluster = await startKafkaMockCluster();
      hold(() => cluster.stop());
      kafkaBrokers = cluster.brokers;
      log(`${label}: mock cluster at ${kafkaBrokers.join(',')}`);
    }
    log(`${label}: starting the stack with its participants (${options.citizens} citizens, seed ${world.seed})`);
    const stack = await startStack({
      citizens: options.citizens,
      seed: world.seed,
      engine: 'postgres',
      gatewayEnv: options.gatewayEnv,
      logLevel: options.logLevel,
      events: kafkaBrokers ? { kafkaBrokers } : undefined,
    });
    hold(() => stack.stop());
    const reader = topicReader(stack, kafkaBrokers);
    await reader.connect();
    hold(() => reader.close());

    const owners = businessOwners(world.citizens, world.seed, new Date());
    const checkCount = options.fanOutConnections;
    log(`${label}: check — ${checkCount} applications must complete`);
    await checkPipeline(context, stack, reader, owners, checkCount);

    const submitTo = (prefix: string) => async (n: number) =>
      postSubmit(stack.gatewayUrl, businessStartBody(owners, n, prefix), options.timeoutSeconds * 1000, await stack.authHeaders());

    let oneAtATime: TransportMeasurement['oneAtATime'];
    if (options.fanOutOneAtATime > 0) {
      log(`${label}: ${options.fanOutOneAtATime} applications one at a time`);
      const submit = submitTo(ONE_AT_A_TIME_PREFIX);
      const records: SubmitRecord[] = [];
      const started = Date.now();
      for (let n = 0; n < options.fanOutOneAtATime; n += 1) {
        const startedAtMs = Date.now();
        const answer = await submit(n);
        records.push({ n, startedAtMs, responseMs: Date.now() - startedAtMs, answer });
        const deadline = Date.now() + options.fanOutWaitSeconds * 1000;
        await waitForFinalStatuses(reader, accepted(startedAtMs, answer), deadline, log, ONE_AT_A_TIME_POLL_MS);
      }
      const { figures } = await figuresOf(reader, records, await readStatuses(reader));
      oneAtATime = { submits: submitFigures(records, Date.now() - started), figures };
      log(
        `${label}: one at a time, released tasks assigned p99 ${figures.releasedAssigned?.p99 ?? 'n/a'} ms, ` +
          `completed p99 ${figures.completed?.p99 ?? 'n/a'} ms, ${figures.notCompleted} not completed`,
      );
    }

    /** One measured window on the quiet machine: the loop, the wait for final statuses, CPU and timings. */
    const measureWindow = async (name: string, loop: () => Promise<SubmitLoopResult>) => {
      const { waitedSeconds } = await context.monitor.settle();
      if (waitedSeconds > 2) log(`${label}: waited ${Math.round(waitedSeconds)} s for a quiet machine`);
      const otherCpuSince = await context.monitor.watch();
      const meter = await context.meter?.(stackProcesses(stack));
      const result = await loop();
      const windowEnd = Date.now();
      const applications = result.records.flatMap(({ startedAtMs, answer }) => accepted(startedAtMs, answer));
      const submits = submitFigures(result.records, result.elapsedMs);
      log(
        `${label}, ${name}: ${submits.responses} submits (${submitsPerSecond(submits).toFixed(1)}/s, ${submits.failed} failed); ` +
          `waiting up to ${options.fanOutWaitSeconds} s for them to finish`,
      );
      const statuses = await waitForFinalStatuses(reader, applications, windowEnd + options.fanOutWaitSeconds * 1000, log);
      const drainMs = Date.now() - windowEnd;
      const usage: ResourceUsage | undefined = await meter?.stop();
      const otherCpu = await otherCpuSince();
      const { figures, unreadable } = await figuresOf(reader, result.records, statuses);
      const cpu = usage && figures.completed ? `, ${(usage.totalCpuMs / figures.completed.count).toFixed(1)} ms CPU per completed application` : '';
      log(
        `${label}, ${name}: ${figures.applications} applications, completed p50 ${figures.completed?.p50 ?? 'n/a'} ms ` +
          `p99 ${figures.completed?.p99 ?? 'n/a'} ms, ${figures.notCompleted} not completed${cpu}`,
      );
      return { submits, figures, drainMs, otherCpu, usage, unreadable };
    };

    const cap = options.fanOutApplications === undefined ? '' : ` (at most ${options.fanOutApplications} applications)`;
    log(`${label}: saturated, submitting for ${options.fanOutDurationSeconds} s${cap}, ${options.fanOutConnections} in flight`);
    const saturated = await measureWindow('saturated', () =>
      runSubmitLoop({
        connections: options.fanOutConnections,
        durationMs: options.fanOutDurationSeconds * 1000,
        maxSubmits: options.fanOutApplications,
        submit: submitTo(MEASURED_BUSINESS_PREFIX),
      }),
    );

    let openLoop: OpenLoopMeasurement | undefined;
    if (options.fanOutRate > 0) {
      log(`${label}: open loop, ${options.fanOutRate} applications/s for ${options.fanOutDurationSeconds} s${cap}`);
      const run = await measureWindow('open loop', () =>
        runOpenLoop({
          ratePerSecond: options.fanOutRate,
          durationMs: options.fanOutDurationSeconds * 1000,
          maxSubmits: options.fanOutApplications,
          submit: submitTo(OPEN_LOOP_PREFIX),
        }),
      );
      openLoop = { ratePerSecond: options.fanOutRate, submits: run.submits, figures: run.figures, drainMs: run.drainMs, otherCpu: run.otherCpu, usage: run.usage };
    }

    const measurement: TransportMeasurement = {
      transport,
      ok: true,
      submits: saturated.submits,
      figures: saturated.figures,
      drainMs: saturated.drainMs,
      otherCpu: saturated.otherCpu,
      unreadableMessages: saturated.unreadable,
      ...(saturated.usage ? { usage: saturated.usage } : {}),
      ...(openLoop ? { openLoop } : {}),
      ...(oneAtATime ? { oneAtATime } : {}),
    };
    return measurement;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`${label}: not measured — ${message.split('\n')[0]}`);
    return { transport, ok: false, error: message };
  } finally {
    for (const stop of stops.reverse()) {
      await stop().catch((error: unknown) => log(`${label}: stopping failed: ${error instanceof Error ? error.message : String(error)}`));
    }
  }
}

export const fanOutScenario: OwnStackScenario = {
  id: ID,
  title: TITLE,
  stack: 'own',
  async run(context: BenchContext): Promise<ScenarioOutcome> {
    const startedAt = new Date();
    const { options } = context;
    const windows = options.fanOutRate > 0 ? 2 : 1;
    const perTransport = windows * (options.fanOutDurationSeconds + options.fanOutWaitSeconds) + options.fanOutOneAtATime * 2;
    context.log(
      `${options.fanOutTransports.length} transport(s), each: stack start, check, ${options.fanOutOneAtATime} applications one at a time, ` +
        `${options.fanOutDurationSeconds} s of saturated submits${options.fanOutRate > 0 ? ` and ${options.fanOutDurationSeconds} s at ${options.fanOutRate}/s` : ''}, ` +
        `each followed by up to ${options.fanOutWaitSeconds} s for them to finish (about ${Math.ceil((perTransport + 90) / 60)} min at most)`,
    );
    const results: TransportResult[] = [];
    for (const transport of options.fanOutTransports) results.push(await measureTransport(context, transport));
    if (results.every((result) => !result.ok)) {
      const reasons = results.map((result) => `${TRANSPORT_LABELS[result.transport]}: ${result.ok ? '' : result.error}`);
      throw new Error(`no transport could be measured (docs/benchmarks.md left as it was):\n\n${reasons.join('\n\n')}`);
    }
    const table = renderFanOutTable(results);
    // Failed submits, applications that did not complete and transports not measured all make the bench exit non-zero.
    const failedIn = (run: { submits: SubmitFigures; figures: FanOutFigures } | undefined) => (run ? run.submits.failed + run.figures.notCompleted : 0);
    const failed = results.reduce(
      (sum, result) => sum + (result.ok ? failedIn(result) + failedIn(result.openLoop) + failedIn(result.oneAtATime) : 1),
      0,
    );
    return {
      section: {
        id: ID,
        markdown: renderFanOutSection({
          results,
          machine: context.machine,
          startedAt,
          settings: {
            citizens: options.citizens,
            seed: context.world.seed,
            logLevel: options.logLevel,
            durationSeconds: options.fanOutDurationSeconds,
            connections: options.fanOutConnections,
            maxApplications: options.fanOutApplications,
            waitSeconds: options.fanOutWaitSeconds,
            timeoutSeconds: options.timeoutSeconds,
            checkApplications: options.fanOutConnections,
            openLoopRate: options.fanOutRate,
            oneAtATime: options.fanOutOneAtATime,
            quietShare: context.monitor.quietShare,
            quietWaitSeconds: options.quietWaitSeconds,
          },
          reproduce: context.reproduce,
          scenarioId: ID,
        }),
      },
      consoleReport: [
        `${TITLE} (${options.fanOutDurationSeconds} s of submits, ${options.fanOutConnections} in flight)`,
        '',
        table,
        ...[renderOpenLoopTable(results), renderOneAtATimeTable(results), renderFanOutUsage(results)].flatMap((extra) => (extra ? ['', extra] : [])),
      ].join('\n'),
      failedRequests: failed,
    };
  },
};
