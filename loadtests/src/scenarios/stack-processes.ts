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
