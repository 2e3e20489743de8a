import { signWebhook, WEBHOOK_HEADERS } from '@simpul/events';
import type { WebhookParticipant } from './webhook-config';

/** What the participant answered, kept short: it ends up in logs and in the dead letter's error. */
const MAX_ANSWER_CHARS = 300;

/** The participant did not take the task: it answered non-2xx, too late, or not at all. */
export class TaskWebhookError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'TaskWebhookError';
  }
}

export interface PostTaskOptions {
  /** The envelope id (`x-simpul-event-id`). */
  eventId: string;
  traceparent?: string;
  timeoutMs: number;
  /** Aborts the request (the service is stopping). */
  signal?: AbortSignal;
}

/**
 * POSTs a task to its participant: `body` is the `mpp.task.assigned` envelope exactly as on the
 * topic, signed with the participant's secret. Resolves on 2xx (the participant has durably taken
 * the task); throws TaskWebhookError otherwise. Redirects are not followed: a signed task goes only
 * where it was configured to go.
 */
export async function postTask(participant: WebhookParticipant, body: string, options: PostTaskOptions): Promise<void> {
  const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
  let response: Response;
  try {
    response = await fetch(participant.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'simpul-applications',
        [WEBHOOK_HEADERS.signature]: signWebhook(participant.secret, body),
        [WEBHOOK_HEADERS.eventId]: options.eventId,
        ...(options.traceparent ? { traceparent: options.traceparent } : {}),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.any(signals),
    });
  } catch (error) {
    if (options.signal?.aborted) throw new TaskWebhookError(`${participant.code}: delivery interrupted (stopping)`, undefined, { cause: error });
    if ((error as { name?: string } | undefined)?.name === 'TimeoutError') {
      throw new TaskWebhookError(`${participant.code} did not answer within ${options.timeoutMs} ms`, undefined, { cause: error });
    }
    throw new TaskWebhookError(`${participant.code} is unreachable: ${describeFetchError(error)}`, undefined, { cause: error });
  }
  if (response.status >= 200 && response.status < 300) {
    await response.body?.cancel().catch(() => undefined);
    return;
  }
  const answer = await readStart(response).catch(() => '');
  throw new TaskWebhookError(`${participant.code} answered ${response.status}${answer ? `: ${answer}` : ''}`, response.status);
}

/** fetch's own message is "fetch failed"; the cause says what (ECONNREFUSED, a reset, DNS…). */
function describeFetchError(error: unknown): string {
  // Duck-typed: fetch's errors may come from another realm (undici's own, a test VM), not this Error.
  const { message, cause } = (error ?? {}) as { message?: string; cause?: { code?: string; message?: string } };
  return cause?.code ?? cause?.message ?? message ?? String(error);
}

async function readStart(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < MAX_ANSWER_CHARS) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text.slice(0, MAX_ANSWER_CHARS).replace(/\s+/g, ' ').trim();
}
