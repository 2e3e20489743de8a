// Graph algorithms over an application type's steps (a DAG: each step lists the steps it depends on).

export interface GraphStep {
  id: string;
  dependsOn: readonly string[];
}

/**
 * A dependency cycle, as the step ids along it with the first repeated at the end
 * (`['a', 'b', 'a']`), or undefined when there is none. Unknown dependencies are ignored here.
 */
export function findCycle(steps: readonly GraphStep[]): string[] | undefined {
  const byId = new Map(steps.map((step) => [step.id, step]));
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];

  const visit = (id: string): string[] | undefined => {
    const seen = state.get(id);
    if (seen === 'done') return undefined;
    if (seen === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    for (const dependency of byId.get(id)?.dependsOn ?? []) {
      if (!byId.has(dependency)) continue;
      const cycle = visit(dependency);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };

  for (const step of steps) {
    const cycle = visit(step.id);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Every step after all of its dependencies; among steps that are ready together, declaration order. */
export function topologicalOrder<T extends GraphStep>(steps: readonly T[]): T[] {
  const remaining = new Map(steps.map((step) => [step.id, new Set(step.dependsOn)]));
  const ordered: T[] = [];
  while (ordered.length < steps.length) {
    const ready = steps.filter((step) => remaining.get(step.id)?.size === 0);
    if (ready.length === 0) throw new Error(`steps ${[...remaining.keys()].join(', ')} form a cycle or depend on unknown steps`);
    for (const step of ready) {
      ordered.push(step);
      remaining.delete(step.id);
      for (const dependencies of remaining.values()) dependencies.delete(step.id);
    }
  }
  return ordered;
}

/** The longest chain of step SLAs: how long the whole application may take when every step uses its SLA. */
export function criticalPathHours(steps: readonly (GraphStep & { slaHours: number })[]): number {
  const finishedAfter = new Map<string, number>();
  for (const step of topologicalOrder(steps)) {
    const start = Math.max(0, ...step.dependsOn.map((id) => finishedAfter.get(id) ?? 0));
    finishedAfter.set(step.id, start + step.slaHours);
  }
  return Math.max(0, ...finishedAfter.values());
}
