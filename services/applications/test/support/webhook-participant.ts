import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedTask {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, as received. */
  body: string;
}

/**
 * A participant's task endpoint (node:http), recording every request. It answers each request with
 * the next status of `script` (then `200`), so a test can make it fail a few times.
 */
export class WebhookParticipantServer {
  readonly received: ReceivedTask[] = [];
  private readonly server: Server;
  private script: number[] = [];

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const status = this.script.shift() ?? 200;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(status < 300 ? { received: true } : { error: { code: 'UNAVAILABLE', message: `scripted ${status}` } }));
      });
    });
  }

  /** Listens on `port` (default: any free one); returns the task URL. */
  async start(port = 0): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/tasks`;
  }

  /** The next answers (then 200 again). */
  answerNext(...statuses: number[]): void {
    this.script = statuses;
  }

  /** The requests carrying a task of this application. */
  tasksOf(applicationId: string): ReceivedTask[] {
    return this.received.filter((r) => (JSON.parse(r.body) as { data?: { applicationId?: string } }).data?.applicationId === applicationId);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
