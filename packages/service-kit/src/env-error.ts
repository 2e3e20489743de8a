// Apart from env.ts so that the shapes env.ts assembles (audit/audit-config.ts) can use them without a cycle.

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/** A variable set to the empty string counts as unset (compose files and shells pass `VAR=` for "none"). */
export const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
