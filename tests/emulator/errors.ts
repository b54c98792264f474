/** Salesforce's error shape: a JSON array of {message, errorCode, fields?} with the HTTP status. */

export interface SfError {
  message: string;
  errorCode: string;
  fields?: string[];
  /** DUPLICATES_DETECTED: the matching records (Salesforce's own spelling, see duplicates.ts). */
  duplicateResut?: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: SfError[],
  ) {
    super(errors.map((e) => `${e.errorCode}: ${e.message}`).join('; '));
  }
}

export function apiError(status: number, errorCode: string, message: string, fields?: string[]): ApiError {
  return new ApiError(status, [{ message, errorCode, ...(fields ? { fields } : {}) }]);
}

/** A record-level error (validation), which always names the fields, possibly none. */
export function recordError(errorCode: string, message: string, fields: string[] = []): SfError {
  return { message, errorCode, fields };
}

export const sessionInvalid = () => apiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
export const notFound = () => apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
