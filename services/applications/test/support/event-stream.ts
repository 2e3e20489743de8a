import { eventually } from './applications-service';

export interface ServerSentEvent {
  event: string;
  id?: string;
  data: Record<string, unknown>;
}

/** Reads a text/event-stream response event by event. */
export class EventStream {
  readonly received: ServerSentEvent[] = [];
  /** Resolves when the response ends: the server closed the stream (or the client aborted it). */
  readonly ended: Promise<void>;
  private buffer = '';

  private constructor(
    private readonly response: Response,
    private readonly controller: AbortController,
  ) {
    this.ended = this.read();
    this.ended.catch(() => undefined);
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<{ response: Response; stream: EventStream }> {
    const controller = new AbortController();
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
    return { response, stream: new EventStream(response, controller) };
  }

  /** Waits until `count` events arrived; returns them. */
  async take(count: number): Promise<ServerSentEvent[]> {
    return eventually(() => {
      expect(this.received.length).toBeGreaterThanOrEqual(count);
      return this.received.slice(0, count);
    }, 5000);
  }

  async close(): Promise<void> {
    this.controller.abort();
    await this.ended.catch(() => undefined);
  }

  private async read(): Promise<void> {
    const decoder = new TextDecoder();
    for await (const chunk of this.response.body as unknown as AsyncIterable<Uint8Array>) {
      this.buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = this.buffer.indexOf('\n\n')) >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const fields = new Map<string, string>();
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
        }
        if (fields.has('data')) this.received.push({ event: fields.get('event') ?? 'message', id: fields.get('id'), data: JSON.parse(fields.get('data')!) });
      }
    }
  }
}
