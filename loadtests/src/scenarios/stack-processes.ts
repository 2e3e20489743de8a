import type { Stack, StackProcess } from '@simpul/testing';
import type { MeteredProcess } from '../report/process-usage';

/** Running processes among `processes`, named as in the stack (`gateway`, `dukcapil`, `audit-2`…). */
export function meteredProcesses(processes: readonly (StackProcess | undefined)[]): MeteredProcess[] {
  return processes.flatMap((process) => (process?.pid === undefined ? [] : [{ name: process.name, pid: process.pid }]));
}

/**
 * Every process of a stack that serves a request or an application: its gateway (unless `gateway`
 * is false, when another gateway is measured over its subgraphs), the subgraphs and any replicas
 * given, the identity provider, the event broker and the example participants.
 */
export function stackProcesses(stack: Stack, options: { gateway?: boolean; extra?: readonly StackProcess[] } = {}): MeteredProcess[] {
  return meteredProcesses([
    ...(options.gateway === false ? [] : [stack.gateway]),
    ...Object.values(stack.subgraphs),
    ...(options.extra ?? []),
    stack.identity,
    stack.broker,
    ...Object.values(stack.participants),
  ]);
}

/** pino's error and fatal levels: the lines worth showing beside a failed request. */
const ERROR_LINE = /"level":(50|60)\b/;
const ERROR_LINE_LENGTH = 500;

/**
 * The last `limit` error lines the processes logged (from the lines each keeps; by pino's time),
 * named by process, shortened: why a subgraph answered a failing request, next to that failure in the report.
 */
export function latestErrorLines(processes: readonly Pick<StackProcess, 'name' | 'logs'>[], limit = 5): string[] {
  const loggedAt = (line: string) => Number(/"time":(\d+)/.exec(line)?.[1] ?? 0);
  return processes
    .flatMap((process) => process.logs().filter((line) => ERROR_LINE.test(line)).map((line) => ({ process: process.name, line })))
    .sort((a, b) => loggedAt(a.line) - loggedAt(b.line))
    .slice(-limit)
    .map(({ process, line }) => `${process}: ${summariseLogLine(line)}`);
}

interface LoggedError {
  type?: unknown;
  message?: unknown;
  cause?: LoggedError;
}

/** A pino line as its message and the chain of error causes (a failed query's text says less than its cause). */
function summariseLogLine(line: string): string {
  let record: { msg?: unknown; err?: LoggedError };
  try {
    record = JSON.parse(line) as typeof record;
  } catch {
    return line.slice(0, ERROR_LINE_LENGTH);
  }
  const causes: string[] = [];
  for (let error = record.err; error && causes.length < 4; error = error.cause) {
    // pino appends the causes' messages to the message ("…: caused by"): keep its head and its tail.
    const message = String(error.message ?? '');
    const shown = message.length > 240 ? `${message.slice(0, 80)} … ${message.slice(-160)}` : message;
    causes.push(`${typeof error.type === 'string' ? error.type : 'Error'}: ${shown}`);
  }
  return `${typeof record.msg === 'string' ? record.msg : ''}${causes.length ? ` — ${causes.join(' ← ')}` : ''}`.slice(0, ERROR_LINE_LENGTH);
}
