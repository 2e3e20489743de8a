import { EventSourceParserStream } from 'eventsource-parser/stream';
import { PURPOSE_HEADER, type ApiAuth } from './api';

export interface LiveHandlers {
  status(data: unknown): void;
  timeline(data: unknown): void;
  /** The stream is (re)connected or not. */
  connected(open: boolean): void;
}

/**
 * Follows `/live/applications/<id>` (server-sent events through the gateway) with fetch, since the
 * token goes in the Authorization header, never the URL. When the stream ends (the service closes it
 * as its signed context expires, or the network drops) it reconnects with Last-Event-ID: nothing
 * missed, nothing repeated. Returns a function that stops following.
 */
export function followApplication(id: string, auth: ApiAuth, handlers: LiveHandlers): () => void {
  const controller = new AbortController();
  let lastEventId: string | undefined;
  let delayMs = 500;

  const run = async () => {
    while (!controller.signal.aborted) {
      try {
        let token = auth.token();
        let response = await open(id, token, lastEventId, controller.signal);
        if (response.status === 401) {
          token = await auth.renew();
          if (!token) return;
          response = await open(id, token, lastEventId, controller.signal);
        }
        if (response.ok && response.body) {
          handlers.connected(true);
          delayMs = 500;
          const events = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
          for await (const event of events) {
            if (event.id) lastEventId = event.id;
            const data = JSON.parse(event.data) as unknown;
            if (event.event === 'status') handlers.status(data);
            else if (event.event === 'timeline') handlers.timeline(data);
          }
        }
      } catch {
        // aborted, or the connection dropped: retry below unless stopped
      }
      handlers.connected(false);
      if (controller.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs = Math.min(delayMs * 2, 10_000);
    }
  };
  void run();
  return () => controller.abort();
}

function open(id: string, token: string | undefined, lastEventId: string | undefined, signal: AbortSignal): Promise<Response> {
  return fetch(`/live/applications/${encodeURIComponent(id)}`, {
    headers: {
      accept: 'text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      [PURPOSE_HEADER]: `application:${id}`,
      ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
    },
    signal,
  });
}
