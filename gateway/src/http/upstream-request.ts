import { request as httpRequest, type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** Why the upstream service gave no answer, in the codes the gateway uses for a subgraph it cannot reach. */
export interface UpstreamFailure {
  status: 502 | 504;
  code: 'SUBGRAPH_UNAVAILABLE' | 'SUBGRAPH_TIMEOUT';
  message: string;
  error: Error;
}

export interface UpstreamRequestOptions {
  method: 'GET' | 'POST';
  /** The path on the service's origin. */
  path: string;
  headers: OutgoingHttpHeaders;
  /** How long the service has to send its response headers; then the request is abandoned (504). */
  timeoutMs: number;
  /** The service answered: pass `answer` on to the client. */
  onResponse(answer: IncomingMessage): void;
  /** The service could not be reached or did not answer in time, and the client has no answer yet. */
  onFailure(failure: UpstreamFailure): void;
  /** The upstream failed after the client got its response headers: close the response as the route does. */
  onFailureAfterHeaders(): void;
}

/**
 * Requests to a service behind the gateway outside GraphQL (the applications service's stream and
 * status report routes), on the origin of its subgraph URL over http or https as the URL says. The
 * client's response owns each request: once it closes (answered, or the client went away) the
 * upstream request is destroyed, and nothing more is reported. The caller writes the request body
 * (or ends it) on the ClientRequest returned.
 */
export function upstreamService(serviceName: string, serviceUrl: string): (res: ServerResponse, options: UpstreamRequestOptions) => ClientRequest {
  const origin = new URL(serviceUrl).origin;
  const request = origin.startsWith('https:') ? httpsRequest : httpRequest;
  return (res, options) => {
    const upstream = request(new URL(options.path, origin), { method: options.method, headers: options.headers });
    const timer = setTimeout(() => upstream.destroy(new UpstreamTimeoutError()), options.timeoutMs);
    let clientGone = false;
    // The response closes on a client disconnect and after a completed response alike: upstream is done either way.
    res.once('close', () => {
      clientGone = true;
      clearTimeout(timer);
      upstream.destroy();
    });
    upstream.once('response', (answer) => {
      clearTimeout(timer);
      options.onResponse(answer);
    });
    upstream.on('error', (error) => {
      clearTimeout(timer);
      if (clientGone) return;
      if (res.headersSent) {
        options.onFailureAfterHeaders();
        return;
      }
      options.onFailure(
        error instanceof UpstreamTimeoutError
          ? { status: 504, code: 'SUBGRAPH_TIMEOUT', message: `The ${serviceName} service did not answer within ${options.timeoutMs} ms`, error }
          : { status: 502, code: 'SUBGRAPH_UNAVAILABLE', message: `The ${serviceName} service is unavailable`, error },
      );
    });
    return upstream;
  };
}

class UpstreamTimeoutError extends Error {
  override name = 'TimeoutError';
}

/** A URL path segment decoded; undefined when it is not valid percent-encoding. */
export function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
