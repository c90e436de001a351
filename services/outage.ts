/**
 * Telling an outage of a dependency (PostgreSQL or Temporal unreachable, restarting, timing out)
 * from a refusal: an outage answers 503 with Retry-After and changes nothing, so the client retries.
 */
import { isGrpcDeadlineError } from '@temporalio/client';

/** Seconds a client should wait before retrying after an outage (the Retry-After header). */
export const RETRY_AFTER_SECONDS = 5;

/** How long a request waits for Temporal to accept a call before it answers 503. */
export const TEMPORAL_CALL_TIMEOUT_MS = 10_000;

export type Dependency = 'PostgreSQL' | 'Temporal';

// gRPC status codes meaning "the server is not there / did not answer": DEADLINE_EXCEEDED, UNAVAILABLE.
const GRPC_OUTAGE_CODES = new Set([4, 14]);
// PostgreSQL: connection exceptions (08…), shutdown / cannot connect now (57P01-57P03), too many connections.
const PG_OUTAGE_CODE = /^(08|57P0[123]|53300)/;
const NODE_NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

function causes(err: unknown): unknown[] {
  const chain: unknown[] = [];
  let cur: unknown = err;
  while (cur && typeof cur === 'object' && chain.length < 8) {
    chain.push(cur);
    cur = (cur as { cause?: unknown }).cause;
  }
  return chain;
}

/** The dependency whose outage `err` shows, or undefined when it is another kind of error. */
export function outageOf(err: unknown): Dependency | undefined {
  for (const e of causes(err)) {
    if (isGrpcDeadlineError(e)) return 'Temporal';
    const code = (e as { code?: unknown }).code;
    const name = (e as { name?: unknown }).name;
    const message = String((e as { message?: unknown }).message ?? '');
    if (typeof code === 'number' && GRPC_OUTAGE_CODES.has(code) && ('details' in (e as object) || 'metadata' in (e as object))) return 'Temporal';
    if (name === 'ServiceError' && /UNAVAILABLE|DEADLINE_EXCEEDED|connect|transport/i.test(message)) return 'Temporal';
    // The async-completion client keeps only the gRPC message of what went wrong.
    if (name === 'ActivityCompletionError' && /Deadline exceeded|No connection established|Connection dropped|UNAVAILABLE|ECONNREFUSED/i.test(message)) return 'Temporal';
    if (name === 'TransportError' || /Failed to (connect|call) .*Temporal|tcp connect error/i.test(message)) return 'Temporal';
    if (typeof code === 'string' && (PG_OUTAGE_CODE.test(code) || NODE_NET_CODES.has(code))) return 'PostgreSQL';
    if (/Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message)) return 'PostgreSQL';
  }
  return undefined;
}

/** The detail of a 503 for an outage of `dependency` during `what`. */
export function outageDetail(dependency: Dependency, what: string, err?: unknown): string {
  const reason = err instanceof Error ? `: ${err.message}` : '';
  return `${dependency} 暂不可用 / ${dependency} is unavailable; ${what} was not done. Try again in ${RETRY_AFTER_SECONDS} s${reason}`;
}
