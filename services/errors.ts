/**
 * The errors the engine's services refuse a request with. They carry a code, never an HTTP status:
 * the HTTP server maps codes to statuses and problem+json in one place (server/http/service-errors.ts),
 * the worker decides by code too (activities/index.ts).
 */

/** Camunda-style codes; the HTTP title of a refused request is its code. */
export const SERVICE_ERROR_CODES = [
  'INVALID_ARGUMENT',
  'NOT_FOUND',
  'INVALID_STATE',
  'CONFLICT',
  'ALREADY_EXISTS',
  'FORBIDDEN',
  'UNAVAILABLE',
] as const;
export type ServiceErrorCode = (typeof SERVICE_ERROR_CODES)[number];

export class ServiceError extends Error {
  /**
   * @param code what kind of refusal this is
   * @param message what is wrong and what to do, for a person (names the key, element or field)
   * @param extra further members for the client (e.g. `problems` with element ids)
   */
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export function isServiceError(err: unknown, code?: ServiceErrorCode): err is ServiceError {
  return err instanceof ServiceError && (code === undefined || err.code === code);
}
