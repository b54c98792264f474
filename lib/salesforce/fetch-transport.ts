/**
 * The HTTP layer under jsforce: one `fetch` per request, the whole answer read as text. It takes
 * the place of jsforce's browser transport, which pipes every request and answer through Node
 * stream shims (readable-stream and Buffer, a third of the worker's bundle) and never settles a
 * request whose fetch failed. jsforce's HttpApi still asks each request for a stream; it gets an
 * idle PassThrough, since the extension reads every answer as a whole (docs/performance.md).
 */

import { PassThrough } from 'node:stream';
import type { HttpRequest, HttpResponse } from 'jsforce';

export type PendingResponse = Promise<HttpResponse> & { stream(): PassThrough };

async function send(request: HttpRequest, deadlineAt: number): Promise<HttpResponse> {
  if (request.body !== undefined && typeof request.body !== 'string') {
    throw new TypeError('only text request bodies are sent to Salesforce');
  }
  // fetch works out Content-Length itself (browsers forbid setting it; Node's fetch refuses it).
  const { 'content-length': _, ...headers } = request.headers ?? {};
  const answer = await fetch(request.url, {
    method: request.method,
    headers,
    ...(request.body !== undefined && !['GET', 'HEAD'].includes(request.method) ? { body: request.body } : {}),
    // REST calls never redirect; following one could carry the session elsewhere.
    redirect: 'error',
    signal: AbortSignal.timeout(Math.max(1, deadlineAt - Date.now())),
  });
  const answerHeaders: Record<string, string> = {};
  answer.headers.forEach((value, name) => {
    answerHeaders[name.toLowerCase()] = value;
  });
  return { statusCode: answer.status, headers: answerHeaders, body: await answer.text() };
}

/**
 * One request, as jsforce's transports answer it: a promise of the response that also has a
 * stream. The fetch is aborted at `deadlineAt` (epoch ms), answer body included.
 */
export function fetchRequest(request: HttpRequest, deadlineAt: number): PendingResponse {
  return Object.assign(send(request, deadlineAt), { stream: () => new PassThrough() });
}
