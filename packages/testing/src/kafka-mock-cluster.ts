import { spawn } from 'node:child_process';

/**
 * A Kafka-protocol cluster for tests, with no JVM: librdkafka's built-in mock cluster, hosted by
 * `kcat` (Debian package `kcat`). kcat consumes a dummy topic only to stay alive; the brokers it
 * prints are shared with every client. Known limits of the mock (librdkafka 2.0.x): no CreateTopics
 * (topics auto-create on first produce/metadata), no idempotent producer, no DescribeGroups, no
 * ListOffsets by timestamp, and a new consumer group waits ~3 s (initial rebalance delay) before
 * its first member gets an assignment, so the session timeout must be longer than that.
 */
export interface KafkaMockCluster {
  /** `host:port` of each mock broker. */
  brokers: string[];
  stop(): Promise<void>;
}

export interface KafkaMockClusterOptions {
  brokers?: number;
  /** How long to wait for kcat to report the cluster (default 10 s). */
  startTimeoutMs?: number;
  /** Pass `-X debug=mock` (every protocol request logged to kcat's stderr; kept in `stop` errors). */
  debug?: boolean;
  kcatPath?: string;
}

// `debug=mock` prints "… bootstrap.servers=h:p,…"; without it librdkafka still logs the notice
// "Mock cluster enabled: … replaced with h:p,…".
const BOOTSTRAP_PATTERNS = [/bootstrap\.servers=(\S+)/, /replaced with (\S+)/];
const STDERR_TAIL_LINES = 40;

export async function startKafkaMockCluster(options: KafkaMockClusterOptions = {}): Promise<KafkaMockCluster> {
  const args = ['-X', `test.mock.num.brokers=${options.brokers ?? 3}`];
  if (options.debug) args.push('-X', 'debug=mock');
  args.push('-b', 'mock:1', '-C', '-t', '_keepalive', '-o', 'end', '-q');
  const child = spawn(options.kcatPath ?? 'kcat', args, { stdio: ['ignore', 'ignore', 'pipe'] });

  const tail: string[] = [];
  let partial = '';
  let brokers: string[] | undefined;
  let onBrokers: ((brokers: string[]) => void) | undefined;
  child.stderr.setEncoding('utf8');
  // Keep draining stderr for the cluster's whole life: a full pipe would block kcat (and the brokers).
  child.stderr.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      tail.push(line);
      if (tail.length > STDERR_TAIL_LINES) tail.shift();
      if (brokers) continue;
      for (const pattern of BOOTSTRAP_PATTERNS) {
        const match = pattern.exec(line);
        if (match?.[1]) {
          brokers = match[1].split(',');
          onBrokers?.(brokers);
          break;
        }
      }
    }
  });

  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const found = await new Promise<string[]>((resolve, reject) => {
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      process.removeListener('exit', killOnExit);
      reject(new Error(`${message}\n${tail.join('\n')}`));
    };
    const timer = setTimeout(() => fail('kcat did not report the mock cluster in time'), options.startTimeoutMs ?? 10_000);
    onBrokers = (list) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(list);
    };
    child.once('error', (error: NodeJS.ErrnoException) =>
      fail(error.code === 'ENOENT' ? 'kcat is not installed (apt-get install kcat): it hosts the Kafka mock cluster' : `kcat failed: ${error.message}`),
    );
    void exited.then((code) => fail(`kcat exited (code ${code}) before the mock cluster was up`));
    if (brokers) onBrokers(brokers);
  });

  return {
    brokers: found,
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
