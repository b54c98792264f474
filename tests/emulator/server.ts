/**
 * The HTTP front: CORS, injected faults, body parsing, and routing to OAuth, the identity URL,
 * REST (authenticated, counted against the allowance, Sforce-Limit-Info on every answer) and
 * the control API.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Control, handleControl } from './control';
import { ApiError, apiError, sessionInvalid } from './errors';
import { toId18 } from './ids';
import { handleApi } from './rest/router';
import { API_VERSIONS, type EmulatorState, type Reply } from './state';

const MAX_BODY = 64 * 1024 * 1024;
/** "The maximum length for the combined URI and headers is 16,384 bytes" (414 or 431 past it). */
const MAX_URI_AND_HEADERS = 16_384;
const JSON_TYPE = 'application/json;charset=UTF-8';
const KNOWN_VERSIONS = new Set(API_VERSIONS.map((v) => v.version));

class BadBody extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) reject(new BadBody('request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw apiError(400, 'JSON_PARSER_ERROR', `Unexpected character in request body: ${(error as Error).message}`);
  }
}

function formParams(req: IncomingMessage, url: URL, text: string): URLSearchParams {
  const params = new URLSearchParams(url.search);
  if ((req.headers['content-type'] ?? '').includes('application/json') && text.trim()) {
    for (const [k, v] of Object.entries(JSON.parse(text) as Record<string, string>)) params.set(k, String(v));
  } else {
    for (const [k, v] of new URLSearchParams(text)) params.set(k, v);
  }
  return params;
}

function send(res: ServerResponse, reply: Reply, extra: Record<string, string> = {}): void {
  const headers: Record<string, string> = { ...extra, ...reply.headers };
  let payload = '';
  if (reply.body !== undefined) {
    if (typeof reply.body === 'string') payload = reply.body;
    else {
      payload = JSON.stringify(reply.body);
      headers['content-type'] ??= JSON_TYPE;
    }
  }
  headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** Salesforce's limit on the request line and headers, which Node would otherwise set itself. */
function tooLarge(req: IncomingMessage): Reply | undefined {
  const uri = Buffer.byteLength(req.url ?? '');
  if (uri > MAX_URI_AND_HEADERS) return { status: 414, headers: { 'content-type': 'text/plain' }, body: 'URI Too Long\n' };
  let size = uri;
  for (let i = 0; i < req.rawHeaders.length; i += 2)
    size += Buffer.byteLength(req.rawHeaders[i]!) + Buffer.byteLength(req.rawHeaders[i + 1]!) + 4;
  if (size > MAX_URI_AND_HEADERS)
    return { status: 431, headers: { 'content-type': 'text/plain' }, body: 'Request Header Fields Too Large\n' };
  return undefined;
}

/**
 * CORS headers. The OAuth endpoints (authorize, token, revoke, userinfo, the identity URL) send
 * none unless the origin is on the org's CORS allowlist, as Salesforce does; a browser page
 * then cannot read their answers (an extension's worker with host permission is not held to CORS).
 */
function cors(state: EmulatorState, req: IncomingMessage, res: ServerResponse, pathname: string): void {
  const origin = req.headers.origin;
  const oauth = pathname.startsWith('/services/oauth2/') || pathname.startsWith('/id/');
  if (oauth && (!origin || !state.store.settings.corsOrigins.includes(origin))) return;
  res.setHeader('access-control-allow-origin', origin ?? '*');
  if (origin) res.setHeader('vary', 'Origin');
  res.setHeader('access-control-allow-methods', 'GET, POST, PATCH, PUT, DELETE, OPTIONS');
  res.setHeader(
    'access-control-allow-headers',
    req.headers['access-control-request-headers'] ?? 'Authorization, Content-Type, Sforce-Query-Options, X-SFDC-Session',
  );
  res.setHeader('access-control-expose-headers', 'Sforce-Limit-Info, Location');
  res.setHeader('access-control-max-age', '600');
}

/** "PATCH /sobjects/Task/{id}": the key API calls are counted under. */
function endpointKey(method: string, path: string): string {
  const parts = path
    .split('/')
    .filter(Boolean)
    .map((segment) => (/^01g[0-9A-Za-z]+-\d+$/.test(segment) ? '{locator}' : segment.length >= 15 && toId18(segment) ? '{id}' : segment));
  return `${method} /${parts.join('/')}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createRequestHandler(state: EmulatorState, control: Control) {
  const base = (req: IncomingMessage) => `http://${req.headers.host ?? '127.0.0.1'}`;

  async function restReply(req: IncomingMessage, url: URL, method: string, text: string): Promise<Reply> {
    const match = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(url.pathname);
    if (!match || !KNOWN_VERSIONS.has(match[1]!)) throw apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    const session = state.auth.authenticate(req.headers.authorization);
    if (!session) {
      const error = sessionInvalid();
      return { status: 401, body: error.errors, headers: { 'www-authenticate': 'Token' } };
    }
    if (state.usage.exhausted()) throw apiError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    const path = match[2] ?? '/';
    const body = parseJson(text);
    state.usage.record(endpointKey(method, path));
    return handleApi(state, {
      method,
      path,
      query: url.searchParams,
      body,
      headers: req.headers as Record<string, string | undefined>,
      version: match[1]!,
      userId: session.userId,
    });
  }

  async function route(req: IncomingMessage, url: URL, method: string, text: string): Promise<Reply> {
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (path === '/services/data') return { status: 200, body: API_VERSIONS };
    if (path.startsWith('/services/data/')) {
      try {
        return await restReply(req, url, method, text);
      } catch (error) {
        if (error instanceof ApiError) return { status: error.status, body: error.errors };
        throw error;
      }
    }
    switch (path) {
      case '/services/oauth2/authorize':
        return state.auth.authorize(method === 'POST' ? formParams(req, url, text) : url.searchParams);
      case '/services/oauth2/token':
        if (method !== 'POST') return { status: 405, body: { error: 'invalid_request', error_description: 'must use HTTP POST' } };
        return state.auth.token(formParams(req, url, text), base(req));
      case '/services/oauth2/revoke':
        return state.auth.revoke(formParams(req, url, text));
      case '/services/oauth2/userinfo':
        return state.auth.identity(req.headers.authorization ?? bearerFromQuery(url), base(req), 'userinfo');
    }
    const id = /^\/id\/([A-Za-z0-9]{15,18})\/([A-Za-z0-9]{15,18})$/.exec(path);
    if (id) {
      return state.auth.identity(req.headers.authorization ?? bearerFromQuery(url), base(req), 'id', {
        orgId: toId18(id[1]!) ?? '',
        userId: toId18(id[2]!) ?? '',
      });
    }
    if (path === '/') {
      return {
        status: 200,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: 'Salesforce org emulator: see tests/emulator/README.md\n',
      };
    }
    return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Not Found\n' };
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://emulator');
      cors(state, req, res, url.pathname);
      // The org's clock (which tests may move), as Salesforce's Date header gives its own.
      res.setHeader('date', new Date(state.store.now()).toUTCString());
      let method = (req.method ?? 'GET').toUpperCase();
      if (method === 'OPTIONS') return send(res, { status: 204 });
      const oversized = tooLarge(req);
      if (oversized) return send(res, oversized);
      // Salesforce lets clients that cannot send PATCH tunnel it through POST.
      const override = url.searchParams.get('_HttpMethod');
      if (method === 'POST' && override) method = override.toUpperCase();
      const isRest = url.pathname.startsWith('/services/data/');
      const limitHeader = (): Record<string, string> => (isRest ? { 'sforce-limit-info': state.usage.header() } : {});

      if (url.pathname.startsWith('/__emulator/')) {
        const text = await readBody(req);
        let body: unknown;
        try {
          body = text.trim() ? JSON.parse(text) : undefined;
        } catch {
          return send(res, { status: 400, body: { error: 'the control API takes JSON bodies' } });
        }
        return send(res, handleControl(control, method, url.pathname, body));
      }

      const faults = state.faults.take(method, url.pathname + url.search);
      // The body is read before any latency, as a real org has it once the request is sent: a
      // client that gives up while the org is slow does not stop the write from committing.
      const text = await readBody(req);
      const latency = faults.reduce((sum, f) => sum + (f.latencyMs ?? 0), 0);
      if (latency > 0) await sleep(latency);
      const failure = faults.find((f) => f.status !== undefined);
      if (failure) {
        const body = [{ message: failure.message, errorCode: failure.errorCode }];
        return send(res, { status: failure.status!, body }, limitHeader());
      }
      const reply = await route(req, url, method, text);
      if (faults.some((f) => f.dropAfterCommit)) {
        // The change is committed; the client never hears so.
        req.socket.destroy();
        return;
      }
      send(res, reply, limitHeader());
    } catch (error) {
      const status = error instanceof BadBody ? 413 : 500;
      const message = error instanceof Error ? error.message : String(error);
      if (!res.headersSent)
        send(res, { status, body: [{ message, errorCode: status === 413 ? 'REQUEST_TOO_LARGE' : 'UNKNOWN_EXCEPTION' }] });
      else res.destroy();
    }
  };
}

function bearerFromQuery(url: URL): string | undefined {
  const token = url.searchParams.get('oauth_token') ?? url.searchParams.get('access_token');
  return token ? `Bearer ${token}` : undefined;
}
