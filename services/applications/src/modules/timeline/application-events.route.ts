import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseUuid } from '@simpul/identifiers';
import type { Database, HttpRoute, Logger } from '@simpul/service-kit';
import type { ApplicationsSchema } from '../../db/schema';
import { findApplicationsById } from '../application/application.repository';
import type { ServiceCatalogue } from '../catalogue/service-catalogue';
import { isApplicationSlaBreached } from '../task/sla';
import { findTasksOfApplications } from '../task/task.repository';
import { taskView } from '../task/task.view';
import { lastTimelineSequence } from './timeline.repository';
import type { TimelineWatcher } from './timeline-watcher';
import { timelineEntryView } from './timeline.view';

const PATH = /^\/applications\/([^/]+)\/events$/;
/** Comment lines keep proxies and load balancers from closing a quiet stream. */
const DEFAULT_HEARTBEAT_MS = 15_000;
/** How long a browser's EventSource waits before reconnecting. */
const RECONNECT_MS = 3000;

export interface ApplicationEventsRouteOptions {
  db: Database<ApplicationsSchema>;
  catalogue: ServiceCatalogue;
  watcher: TimelineWatcher;
  logger: Logger;
  heartbeatMs?: number;
}

/**
 * `GET /applications/<id>/events`: the application's live status as server-sent events.
 *
 * - `event: status` first: the current status, SLA flag and tasks; its `id` is the position of the
 *   latest timeline entry;
 * - then `event: timeline` for every new timeline entry as it is committed (`id` = its sequence).
 *
 * A client reconnecting with `Last-Event-ID` (EventSource does this itself) gets the current status
 * again and then every entry after that id, so nothing is missed across a dropped connection.
 * Unknown application: 404; malformed id: 400 (rule UUID).
 */
export function applicationEventsRoute(options: ApplicationEventsRouteOptions): HttpRoute {
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  return async (req, res) => {
    const match = PATH.exec(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (!match) return false;
    if (req.method !== 'GET') {
      sendJson(res, 405, { error: 'use GET' }, { allow: 'GET' });
      return true;
    }
    const id = parseUuid(decodeURIComponent(match[1]!), 'Application id');
    if (!id.ok) {
      sendJson(res, 400, { error: id.message, code: 'BAD_USER_INPUT', rule: id.rule });
      return true;
    }

    // The position is read before the status: an entry committed in between is sent again as an
    // event (harmless), never lost.
    const after = lastEventIdOf(req) ?? (await lastTimelineSequence(options.db, id.value));
    const [application] = await findApplicationsById(options.db, [id.value]);
    if (!application) {
      sendJson(res, 404, { error: `no application ${id.value}` });
      return true;
    }
    const tasks = await findTasksOfApplications(options.db, [id.value]);
    const now = new Date();

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx (and the gateway's proxy) must pass events on as they come, not buffer them.
      'x-accel-buffering': 'no',
    });
    res.write(`retry: ${RECONNECT_MS}\n\n`);
    writeEvent(res, 'status', after, {
      applicationId: application.id,
      type: application.type,
      status: application.status,
      slaBreached: isApplicationSlaBreached(application, tasks, now),
      tasks: tasks.map((task) => taskView(task, options.catalogue, now)),
    });

    const unwatch = options.watcher.watch(application.id, after, (entries) => {
      for (const entry of entries) writeEvent(res, 'timeline', entry.sequence, timelineEntryView(entry));
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), heartbeatMs);
    heartbeat.unref();
    res.once('close', () => {
      clearInterval(heartbeat);
      unwatch();
    });
    return true;
  };
}

function writeEvent(res: ServerResponse, event: string, id: number, data: unknown): void {
  res.write(`event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`);
}

function lastEventIdOf(req: IncomingMessage): number | undefined {
  const header = req.headers['last-event-id'];
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^\d{1,15}$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
