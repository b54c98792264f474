/**
 * How the service worker's bundle takes jsforce: from the TypeScript sources the package ships
 * (modern JavaScript, as Chrome's MV3 workers and Firefox 128 run it) instead of its browser
 * build, which is compiled down for old browsers with Babel's corejs3 runtime and core-js
 * polyfills. And without the parts the extension's REST calls never reach: XML (SOAP, Metadata)
 * and CSV (Bulk) parsers, multipart bodies, its own OAuth flows, query builders, pop-up login and
 * registry, its proxy and Canvas transports, the Connection methods the client never calls, and
 * the Node stream and Buffer shims of its HTTP layer, which lib/salesforce/fetch-transport.ts
 * replaces. Of Node it needs only EventEmitter, provided here in a few lines; the modules that
 * read `process.env` and `global` as they load (the transports' defaults, the logger) are
 * replaced, so no Node shim is bundled. Each left-out part is a stub that fails loudly if it is
 * ever reached. Sizes and reasons: docs/performance.md.
 */
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { Plugin } from 'vite';

const VIRTUAL = '\0worker-bundle:';
const JSFORCE_SRC = fileURLToPath(new URL('./src/', import.meta.resolve('jsforce/package.json')));

const unused = (what: string) => `() => { throw new Error(${JSON.stringify(`${what} is not part of this extension's build`)}); }`;

/** Modules imported by jsforce, by the name it imports them with. */
const STUBS: Record<string, string> = {
  // http-api.ts parses text/xml answers (SOAP, Metadata API); the REST API answers JSON.
  xml2js: `const parseStringPromise = () => Promise.reject(new Error('Salesforce answered in XML, which this extension does not read'));
export default { parseStringPromise };`,
  // csv.ts serves Bulk API results and record streams.
  'csv-parse': `export const Parser = ${unused('CSV parsing')};`,
  'csv-parse/sync': `export const parse = ${unused('CSV parsing')};`,
  'csv-stringify': `export const stringify = ${unused('CSV writing')};`,
  'csv-stringify/sync': `export const stringify = ${unused('CSV writing')};`,
  // Connection, HttpApi and the describe cache are EventEmitters, used through on, once, emit
  // and removeAllListeners. The `events` package (Node's whole EventEmitter, 6 KB) adds
  // max-listener warnings, promise helpers and async iteration besides. As in Node, listeners
  // run in order on a copy of the list, and an 'error' with no listener throws.
  events: `export class EventEmitter {
  #listeners = new Map();
  on(type, listener) { this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]); return this; }
  addListener(type, listener) { return this.on(type, listener); }
  once(type, listener) {
    const once = (...args) => { this.off(type, once); listener.apply(this, args); };
    once.listener = listener;
    return this.on(type, once);
  }
  off(type, listener) {
    const list = this.#listeners.get(type) ?? [];
    const at = list.findLastIndex((l) => l === listener || l.listener === listener);
    if (at >= 0) this.#listeners.set(type, list.toSpliced(at, 1));
    return this;
  }
  removeListener(type, listener) { return this.off(type, listener); }
  removeAllListeners(type) { if (type === undefined) this.#listeners.clear(); else this.#listeners.delete(type); return this; }
  listenerCount(type) { return this.#listeners.get(type)?.length ?? 0; }
  emit(type, ...args) {
    const list = this.#listeners.get(type) ?? [];
    if (type === 'error' && list.length === 0) throw args[0] instanceof Error ? args[0] : new Error(\`Unhandled error. (\${args[0]})\`);
    for (const listener of list) listener.apply(this, args);
    return list.length > 0;
  }
}
export default EventEmitter;`,
  // Multipart uploads (files, Bulk); fetch takes the browser's own FormData.
  'form-data': 'export default globalThis.FormData;',
  // jsforce builds streams beside every request and query (HttpApi's lazy stream, Query's record
  // stream) that nothing here reads: the answers come from fetch-transport.ts as whole texts.
  // Inert streams keep those classes without readable-stream and Buffer; streaming a query or
  // a Bulk job is not something this build does.
  stream: `import { EventEmitter } from 'events';
class Stream extends EventEmitter {
  pipe(destination) { return destination; }
  push() { return false; }
  write() { return false; }
  end() { return this; }
  read() { return null; }
  destroy() { return this; }
}
export class Readable extends Stream {}
export class Writable extends Stream {}
export class Duplex extends Stream {}
export class Transform extends Stream {}
export class PassThrough extends Stream {}
export default { Readable, Writable, Duplex, Transform, PassThrough };`,
};

/** jsforce's own modules, by path under its src/, that the build replaces. */
const OWN_MODULES: Record<string, string> = {
  // Its stream-based fetch; every Connection's transport is fetch-transport.ts instead.
  'request.ts': `export default ${unused("jsforce's stream transport")};
export const setDefaults = () => {};`,
  // Connection picks a transport: through a proxy (`proxyUrl`, `httpProxy`), a Canvas app's signed
  // request, or the default, whose httpRequest lib/salesforce/client.ts replaces with
  // fetch-transport.ts on every Connection. The client passes none of the others.
  'transport.ts': `export class Transport { httpRequest() { (${unused("jsforce's default transport")})(); } }
const proxy = class extends Transport { constructor() { super(); (${unused("jsforce's proxy transports")})(); } };
export const XdProxyTransport = proxy;
export const HttpProxyTransport = proxy;
export class CanvasTransport extends Transport { static supported = false; }
export default Transport;`,
  // Transports for Visualforce canvas apps and JSONP pages; the worker's Connections use neither.
  'browser/canvas.ts': `export default { supported: false, createRequest: ${unused('The canvas transport')} };`,
  'browser/jsonp.ts': `export default { supported: false, createRequest: ${unused('The JSONP transport')} };`,
  // The pop-up login of a web page, and a registry of saved connections: the extension signs in
  // itself (lib/salesforce/auth.ts) and keeps its one session (lib/salesforce/tokens.ts).
  'browser/client.ts': `export class BrowserClient {}
export default new BrowserClient();`,
  'browser/registry.ts': 'export default {};',
  // Process rules and approvals (conn.process), which the extension never calls.
  'process.ts': 'export default class Process {}',
  // jsforce's own OAuth flows (login, token refresh by refresh token, revoke): the extension runs
  // them itself (lib/salesforce/auth.ts) and gives every Connection a refreshFn instead.
  'oauth2.ts': `export class OAuth2 {
  constructor(options = {}) { Object.assign(this, options); }
  refreshToken() { return Promise.reject(new Error("jsforce's OAuth2 is not part of this extension's build")); }
}
export default OAuth2;`,
  // Query builders and record streams (conn.query, conn.sobject, quick actions): the client
  // sends its SOQL and every other call through conn.request (lib/salesforce/client.ts).
  'query.ts': `export default class Query { constructor() { (${unused("jsforce's Query")})(); } }`,
  'sobject.ts': `export default class SObject { constructor() { (${unused("jsforce's SObject")})(); } }`,
  'quick-action.ts': `export default class QuickAction { constructor() { (${unused("jsforce's QuickAction")})(); } }`,
  // The package's global object: Connections announce themselves on it, for jsforce's add-on
  // modules (Bulk, Metadata...) that the worker does not load. It also carried the date and
  // registry helpers and the pop-up login.
  'jsforce.ts': `import { EventEmitter } from 'events';
const jsforce = new EventEmitter();
export default jsforce;
export function registerModule() {}`,
  // The cache behind Connection's describe$, describeGlobal$ and their other cached forms, which
  // wrap the describe stubs above; Connection still builds them and the cache's entries as it starts.
  'cache.ts': `import { EventEmitter } from 'events';
export default class Cache {
  get() { return new EventEmitter(); }
  clear() {}
  createCachedFunction(fn) { return fn; }
}`,
  // jsforce logs only at a level set in `process.env.JSFORCE_LOG_LEVEL` or
  // `global.__JSFORCE_LOG_LEVEL__` before it loads, or in a Connection's `logLevel`: the worker
  // sets none, so it logs nothing.
  'util/logger.ts': `export class Logger {
  createInstance() { return this; }
  setLogLevel() {}
  log() {}
  debug() {}
  info() {}
  warn() {}
  error() {}
  fatal() {}
}
const silent = new Logger();
export const getLogger = () => silent;`,
  // Used for Content-Length, which browsers set themselves; the original needs Buffer and @sindresorhus/is.
  'util/get-body-size.ts': `export function getBodySize(body, headers = {}) {
  if (headers && 'content-length' in headers) return Number(headers['content-length']);
  if (typeof body === 'string') return new TextEncoder().encode(body).length;
  return body ? undefined : 0;
}`,
};

/**
 * Connection's methods the extension never calls: it sends SOQL, sObject Collections and
 * Composite calls through `request` (lib/salesforce/client.ts) and signs in itself. A class keeps
 * every method in the bundle whether called or not, so they are cut from the source; the
 * public ones stay as stubs that say so if reached, the private helpers go.
 */
const UNUSED_CONNECTION_METHODS = [
  // Its own login and logout (OAuth2 and SOAP).
  'authorize',
  'login',
  'loginByOAuth2',
  'loginBySoap',
  'logout',
  'logoutByOAuth2',
  'logoutBySoap',
  '_clearSession',
  // Shorthands for `request`.
  'requestGet',
  'requestPost',
  'requestPut',
  'requestPatch',
  'requestDelete',
  // Query builders (left out already, see query.ts above) and SOSL.
  'query',
  'queryMore',
  'search',
  // CRUD of single records and batches, with the version checks only they make.
  'retrieve',
  '_retrieveSingle',
  '_retrieveParallel',
  '_retrieveMany',
  'create',
  '_createSingle',
  '_createParallel',
  '_createMany',
  'update',
  '_updateSingle',
  '_updateParallel',
  '_updateMany',
  'upsert',
  '_upsertMany',
  '_upsertParallel',
  'destroy',
  '_destroySingle',
  '_destroyParallel',
  '_destroyMany',
  '_ensureVersion',
  '_supports',
  // Describes and other REST resources, which the extension reads, if at all, with `request`
  // (describes: lib/outbox/org-calls.ts, lib/salesforce/org-check.ts), and the SObject builder.
  'describe',
  'describeGlobal',
  'sobject',
  'identity',
  'recent',
  'updated',
  'deleted',
  'tabs',
  'limits',
  'theme',
  'quickActions',
  'quickAction',
];

/**
 * `source` (connection.ts) without the methods `names` of its class `Connection`; public ones
 * become stubs that throw. Fails the build if a name is not found (a jsforce update renamed it).
 */
function withoutMethods(source: string, names: readonly string[]): string {
  const file = ts.createSourceFile('connection.ts', source, ts.ScriptTarget.Latest, true);
  const connection = file.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === 'Connection');
  const cuts: Array<{ start: number; end: number; text: string }> = [];
  const found = new Set<string>();
  for (const member of connection?.members ?? []) {
    if (!ts.isMethodDeclaration(member) || !ts.isIdentifier(member.name) || !names.includes(member.name.text)) continue;
    const name = member.name.text;
    found.add(name);
    // Overload signatures have no body; the implementation's place takes the stub.
    const stub = member.body && !name.startsWith('_') ? `\n  ${name}() { leftOutMethod(${JSON.stringify(name)}); }` : '';
    cuts.push({ start: member.getFullStart(), end: member.getEnd(), text: stub });
  }
  const missing = names.filter((name) => !found.has(name));
  if (missing.length > 0) throw new Error(`jsforce's Connection has no method ${missing.join(', ')} (scripts/worker-bundle.ts)`);
  let result = source;
  for (const { start, end, text } of cuts.reverse()) result = result.slice(0, start) + text + result.slice(end);
  const leftOut =
    'function leftOutMethod(name: string): never { throw new Error("jsforce\'s Connection." + name + " is not part of this extension\'s build"); }';
  return `${result}\n${leftOut}\n`;
}

export function nativeJsforceForWorker(): Plugin {
  return {
    name: 'sales-activity-sync:worker-bundle',
    apply: 'build',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (source.startsWith(VIRTUAL)) return source;
      // The client needs jsforce's Connection only; core.ts would bring every helper it exports.
      if (source === 'jsforce/core') return `${VIRTUAL}core`;
      // What lib/salesforce/fetch-transport.ts brings in for jsforce is the same inert stream.
      const fromJsforce =
        importer?.startsWith(JSFORCE_SRC) || importer?.startsWith(VIRTUAL) || importer?.endsWith('/lib/salesforce/fetch-transport.ts');
      if (!fromJsforce) return null;
      const name = source.replace(/^node:/, '');
      if (name in STUBS) return `${VIRTUAL}${name}`;
      if (!source.startsWith('.')) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (!resolved?.id.startsWith(JSFORCE_SRC)) return resolved;
      const path = resolved.id.slice(JSFORCE_SRC.length);
      // The package's "browser" field, in terms of its sources.
      if (path === 'registry/index.ts') return `${VIRTUAL}src/browser/registry.ts`;
      return path in OWN_MODULES ? `${VIRTUAL}src/${path}` : resolved;
    },
    transform(code, id) {
      if (id === `${JSFORCE_SRC}connection.ts`) return { code: withoutMethods(code, UNUSED_CONNECTION_METHODS), map: null };
      return null;
    },
    load(id) {
      if (!id.startsWith(VIRTUAL)) return null;
      const what = id.slice(VIRTUAL.length);
      if (what === 'core') return `export { Connection } from ${JSON.stringify(`${JSFORCE_SRC}connection.ts`)};`;
      return what.startsWith('src/') ? (OWN_MODULES[what.slice('src/'.length)] ?? null) : (STUBS[what] ?? null);
    },
  };
}
