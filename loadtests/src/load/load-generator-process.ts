import { fork } from 'node:child_process';
import { runLoad, type LoadRunResult, type LoadSpec } from './load-run';

// The load generator runs in its own process: on a small machine a client sharing the event loop
// with the gateway under test (the stock gateway lives in the runner's process) would skew the A/B.

type ParentMessage = { kind: 'run'; spec: LoadSpec };
type ChildMessage = { kind: 'result'; result: LoadRunResult } | { kind: 'error'; message: string };

/** Forks a fresh load-generator process for one run and resolves with its result. */
export function runLoadInChildProcess(spec: LoadSpec): Promise<LoadRunResult> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    child.once('message', (message: ChildMessage) => {
      settled = true;
      if (message.kind === 'result') resolve(message.result);
      else reject(new Error(`load run "${spec.label}" failed: ${message.message}`));
    });
    child.once('error', (error) => {
      if (!settled) {
        settled = true;
        reject(error);
      }
    });
    child.once('exit', (code, signal) => {
      if (!settled) {
        settled = true;
        reject(new Error(`load generator for "${spec.label}" exited (${signal ?? code}) without a result`));
      }
    });
    child.send({ kind: 'run', spec } satisfies ParentMessage);
  });
}

function serveParent(): void {
  process.once('message', (message: ParentMessage) => {
    const reply = (answer: ChildMessage) => process.send!(answer, () => process.disconnect());
    runLoad(message.spec).then(
      (result) => reply({ kind: 'result', result }),
      (error: unknown) => reply({ kind: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
  });
}

if (require.main === module && process.send) serveParent();
