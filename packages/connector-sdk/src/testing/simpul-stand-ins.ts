import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createEvent,
  issuedDocumentSchema,
  serializeEvent,
  signWebhook,
  TASK_STATUSES,
  uuidv7,
  verifyWebhook,
  WEBHOOK_HEADERS,
  type EventOf,
  type TaskAssignedData,
} from '@simpul/events';
import { z } from 'zod';
import { BodyTooLargeError, readBody, requestUrl } from '@simpul/service-kit';

// Stand-ins for Simpul's side of the webhooks (docs/participants.md), so a participant can test its
// connector without running Simpul: a task delivery signed as Simpul signs it, and a status endpoint
// that verifies signatures and bodies as Simpul's does.

/** An `mpp.task.assigned` event as Simpul publishes (events) or posts (webhooks) it. */
export function taskAssignedEvent(
  data: Pick<TaskAssignedData, 'participant' | 'taskKind' | 'inputs'> & Partial<TaskAssignedData>,
  meta: { id?: string; correlationId?: string; occurredAt?: Date } = {},
): EventOf<'mpp.task.assigned'> {
  const applicationId = data.applicationId ?? uuidv7();
  return createEvent(
    'mpp.task.assigned',
    {
      taskId: uuidv7(),
      applicationType: 'BUSINESS_START',
      dueAt: new Date(Date.now() + 48 * 3_600_000).toISOString(),
      attempt: 1,
      ...data,
      applicationId,
    },
    { source: 'applications', subject: applicationId, correlationId: meta.correlationId ?? applicationId, id: meta.id, occurredAt: meta.occurredAt },
  );
}

export interface DeliveredTask {
  status: number;
  body: { error?: { code: string; message: string; [detail: string]: unknown }; [field: string]: unknown };
}

/**
 * Posts a task to a webhook participant as Simpul does: the envelope as the raw body, signed with
 * the shared secret. `signedAt` backdates the signature; `signature` replaces it outright.
 */
export async function deliverTask(
  url: string,
  secret: string,
  event: EventOf<'mpp.task.assigned'> | string,
  options: { signedAt?: Date; signature?: string | null; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<DeliveredTask> {
  const body = typeof event === 'string' ? event : serializeEvent(event);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const signature = options.signature === undefined ? signWebhook(secret, body, options.signedAt) : options.signature;
  if (signature !== null) headers[WEBHOOK_HEADERS.signature] = signature;
  if (typeof event !== 'string') headers[WEBHOOK_HEADERS.eventId] = event.id;
  Object.assign(headers, options.headers);
  const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
  const text = await response.text();
  let parsed: DeliveredTask['body'] = {};
  try {
    parsed = JSON.parse(text) as DeliveredTask['body'];
  } catch {
    parsed = { text };
  }
  return { status: response.status, body: parsed };
}

const MAX_REPORT_BYTES = 64 * 1024;

/** The status report body Simpul accepts (docs/participants.md, "Status, participant → Simpul"). */
export const statusReportBodySchema = z.strictObject({
  taskId: z.uuid(),
  applicationId: z.uuid(),
  status: z.enum(TASK_STATUSES),
  reason: z.string().min(1).max(500).optional(),
  documents: z.array(issuedDocumentSchema).max(20).optional(),
  /** A UUIDv7: Simpul makes it the id of the mpp.task.status event. */
  eventId: z.uuid({ version: 'v7' }).optional(),
}).refine((report) => report.status !== 'REJECTED' || report.reason !== undefined, { message: 'a REJECTED task status needs a reason', path: ['reason'] });
export type AcceptedStatusReport = z.output<typeof statusReportBodySchema> & { signature: string };

export interface StatusEndpointStub {
  /** `http://127.0.0.1:<port>/participants/<participant>/task-status` */
  url: string;
  port: number;
  /** Every report answered 202, in order (a retried report appears once per acceptance). */
  accepted: AcceptedStatusReport[];
  /** Every request, with the status it was answered. */
  requests: Array<{ status: number; eventId?: string }>;
  /** Answers the next `times` valid reports with `status` (e.g. 503) instead of 202. */
  failNext(times: number, status?: number): void;
  /** Simpul unreachable: every connection is cut at once (the port stays taken, so `up()` cannot fail). */
  down(): void;
  up(): void;
  /** Stops listening (connections refused) until `start()`. */
  stop(): Promise<void>;
  /** Listens again on the same port (which another process may have taken meanwhile: prefer down/up). */
  start(): Promise<void>;
}

/**
 * Simpul's status endpoint for one participant: verifies `x-simpul-signature` over the raw body
 * (401 with `reason`), the size (413), the body (400 with `issues`), the path (404), an `eventId`
 * reused for another report (409), and answers 202 `{ eventId }`. Unlike Simpul it does not know
 * the tasks (no 403/404 for a task).
 */
export async function startStatusEndpointStub(options: {
  participant: string;
  secret: string;
  port?: number;
  /** Awaited before a valid report is answered: a Simpul busy elsewhere (e.g. delivering that very task). */
  hold?: (report: z.output<typeof statusReportBodySchema>) => Promise<unknown>;
}): Promise<StatusEndpointStub> {
  const path = `/participants/${options.participant}/task-status`;
  const accepted: AcceptedStatusReport[] = [];
  const requests: StatusEndpointStub['requests'] = [];
  let failures: { times: number; status: number } = { times: 0, status: 503 };
  const answer = (res: ServerResponse, status: number, body: unknown, eventId?: string) => {
    requests.push({ status, eventId });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  /** eventId → what it reported: the same eventId for another report is a CONFLICT, as at Simpul. */
  const reported = new Map<string, string>();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let raw: string;
    try {
      raw = await readBody(req, { limit: MAX_REPORT_BYTES });
    } catch (error) {
      if (error instanceof BodyTooLargeError) return answer(res, 413, { error: { code: 'PAYLOAD_TOO_LARGE', message: `body over ${MAX_REPORT_BYTES} bytes` } });
      throw error;
    }
    if (req.method !== 'POST' || requestUrl(req).pathname !== path) {
      return answer(res, 404, { error: { code: 'NOT_FOUND', message: `unknown participant or route ${req.url}` } });
    }
    const signature = req.headers[WEBHOOK_HEADERS.signature] as string | undefined;
    const verified = verifyWebhook(options.secret, raw, signature);
    if (!verified.ok) return answer(res, 401, { error: { code: 'UNAUTHENTICATED', message: `signature refused: ${verified.reason}`, reason: verified.reason } });
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return answer(res, 400, { error: { code: 'BAD_USER_INPUT', message: 'body is not JSON', issues: [] } });
    }
    const parsed = statusReportBodySchema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
      return answer(res, 400, { error: { code: 'BAD_USER_INPUT', message: 'invalid status report', issues } });
    }
    const eventId = parsed.data.eventId ?? uuidv7();
    const identity = `${parsed.data.taskId}|${parsed.data.status}`;
    if ((reported.get(eventId) ?? identity) !== identity) {
      return answer(res, 409, { error: { code: 'CONFLICT', message: `eventId ${eventId} was already used for another report` } }, eventId);
    }
    await options.hold?.(parsed.data);
    if (failures.times > 0) {
      failures = { ...failures, times: failures.times - 1 };
      return answer(res, failures.status, { error: { code: 'SERVICE_UNAVAILABLE', message: 'stub told to fail' } }, eventId);
    }
    reported.set(eventId, identity);
    accepted.push({ ...parsed.data, signature: signature! });
    answer(res, 202, { eventId }, eventId);
  };

  let server: Server | undefined;
  let unreachable = false;
  let port = options.port ?? 0;
  const start = async () => {
    if (server) return;
    const listening = createServer((req, res) => void handle(req, res).catch(() => res.destroy()));
    listening.on('connection', (socket) => {
      if (unreachable) socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(port, '127.0.0.1', () => resolve());
    });
    port = (listening.address() as AddressInfo).port;
    server = listening;
  };
  await start();
  return {
    get url() {
      return `http://127.0.0.1:${port}${path}`;
    },
    get port() {
      return port;
    },
    accepted,
    requests,
    failNext(times, status = 503) {
      failures = { times, status };
    },
    down() {
      unreachable = true;
      server?.closeAllConnections();
    },
    up() {
      unreachable = false;
    },
    async stop() {
      const closing = server;
      server = undefined;
      if (!closing) return;
      await new Promise<void>((resolve) => {
        closing.close(() => resolve());
        closing.closeAllConnections();
      });
    },
    start,
  };
}
