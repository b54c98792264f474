/**
 * Faults the control API injects into the next matching requests: an error answer with any
 * status and errorCode, extra latency, or a write that is committed but whose connection is
 * dropped before the answer (the case that tempts a client into sending a duplicate).
 */

export interface FaultMatch {
  /** HTTP method, e.g. "POST"; any method when left out. */
  method?: string;
  /** Substring of the request path and query, e.g. "/sobjects/Task" or "/query"; or a RegExp. */
  path?: string | RegExp;
}

export interface FaultSpec extends FaultMatch {
  /** How many matching requests it applies to (default 1); 0 means until cleared. */
  times?: number;
  /** Answer with this status instead of handling the request. */
  status?: number;
  errorCode?: string;
  message?: string;
  /** Wait this long before handling (or failing) the request. */
  latencyMs?: number;
  /** Handle the request (the write is committed) and then destroy the socket without answering. */
  dropAfterCommit?: boolean;
}

export interface Fault extends FaultSpec {
  id: number;
  remaining: number;
}

const DEFAULT_MESSAGES: Record<string, string> = {
  INVALID_SESSION_ID: 'Session expired or invalid',
  REQUEST_LIMIT_EXCEEDED: 'TotalRequests Limit exceeded.',
  API_DISABLED_FOR_ORG: 'API is not enabled for this Organization or Partner',
  SERVER_UNAVAILABLE: 'Server is temporarily unavailable. Please try again later.',
  UNKNOWN_EXCEPTION: 'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)',
};

const DEFAULT_CODES: Record<number, string> = {
  401: 'INVALID_SESSION_ID',
  403: 'REQUEST_LIMIT_EXCEEDED',
  500: 'UNKNOWN_EXCEPTION',
  503: 'SERVER_UNAVAILABLE',
};

export class Faults {
  private faults: Fault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    if (spec.status === undefined && spec.latencyMs === undefined && !spec.dropAfterCommit) {
      throw new Error('a fault needs status, latencyMs or dropAfterCommit');
    }
    const times = spec.times ?? 1;
    const fault: Fault = { ...spec, id: this.nextId++, remaining: times === 0 ? Number.POSITIVE_INFINITY : times };
    if (fault.status !== undefined) {
      fault.errorCode ??= DEFAULT_CODES[fault.status] ?? 'UNKNOWN_EXCEPTION';
      fault.message ??= DEFAULT_MESSAGES[fault.errorCode] ?? fault.errorCode;
    }
    this.faults.push(fault);
    return fault;
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
  }

  /** The faults that apply to this request, each used up by one. */
  take(method: string, pathAndQuery: string): Fault[] {
    if (this.faults.length === 0) return [];
    const taken: Fault[] = [];
    for (const fault of this.faults) {
      if (fault.method && fault.method.toUpperCase() !== method) continue;
      if (fault.path !== undefined) {
        const hit = typeof fault.path === 'string' ? pathAndQuery.includes(fault.path) : fault.path.test(pathAndQuery);
        if (!hit) continue;
      }
      fault.remaining--;
      taken.push(fault);
    }
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return taken;
  }
}
