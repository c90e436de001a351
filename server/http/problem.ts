/**
 * Errors as RFC 9457 problem details (application/problem+json): { type, title, status, detail, ... }.
 *
 * The engine's services throw ServiceError with a code; this file alone maps codes to HTTP statuses
 * (SERVICE_ERROR_STATUS), with the code as the title, as Camunda 8 does. Routes throw HttpProblem for
 * their own expected failures (401, 403 …); zod failures become 400 with the list of issues; anything
 * else is a 500 whose detail hides internals (the log has the stack).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ServiceError, type ServiceErrorCode } from '../../services/errors.js';
import { VariablesRejected } from '../../workflows/variables-limits.js';
import { outageDetail, outageOf, RETRY_AFTER_SECONDS } from '../../services/outage.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extra: string]: unknown;
}

/** Zod schema of a problem document, for route response declarations. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
  })
  .loose();

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export class HttpProblem extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly extra: Record<string, unknown>;

  /**
   * @param status HTTP status
   * @param detail what is wrong and what to do, for a person
   * @param options `type` (a URI or tag such as 'urn:problem:not-ready'), `title`, and extra members
   */
  constructor(status: number, detail: string, options: { type?: string; title?: string; extra?: Record<string, unknown> } = {}) {
    super(detail);
    this.name = 'HttpProblem';
    this.status = status;
    this.type = options.type ?? 'about:blank';
    this.title = options.title ?? TITLES[status] ?? 'Error';
    this.extra = options.extra ?? {};
  }

  toJSON(): Problem {
    return { type: this.type, title: this.title, status: this.status, detail: this.message, ...this.extra };
  }
}

/** The HTTP status of each service error code (the one place where codes meet HTTP). */
export const SERVICE_ERROR_STATUS = {
  INVALID_ARGUMENT: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INVALID_STATE: 409,
  CONFLICT: 409,
  ALREADY_EXISTS: 409,
  UNAVAILABLE: 503,
} as const satisfies Record<ServiceErrorCode, number>;

/** A service's refusal as Camunda 8 writes it: the code as title, the message as detail, extra members kept. */
export function serviceProblem(err: ServiceError): Problem {
  return { ...err.extra, type: 'about:blank', title: err.code, status: SERVICE_ERROR_STATUS[err.code], detail: err.message };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

function zodProblem(error: z.ZodError, where?: string): Problem {
  const issues = error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message, code: i.code }));
  const first = issues[0];
  const prefix = where ? `${where}` : 'input';
  const detail = first
    ? `${prefix}${first.path ? `.${first.path}` : ''}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`
    : `${prefix} is invalid`;
  return { type: 'urn:problem:validation', title: 'Invalid request', status: 400, detail, issues };
}

export function toProblem(error: unknown): Problem {
  if (error instanceof HttpProblem) return error.toJSON();
  if (error instanceof ServiceError) return serviceProblem(error);
  if (error instanceof VariablesRejected) {
    return { type: 'urn:problem:invalid-variables', title: error.code, status: 400, detail: error.message, ...error.problem };
  }
  if (error instanceof z.ZodError) return zodProblem(error);
  const fe = error as Partial<FastifyError> & { validationContext?: string };
  if (fe && typeof fe === 'object' && fe.validation) {
    return {
      type: 'urn:problem:validation',
      title: 'Invalid request',
      status: 400,
      detail: `${fe.validationContext ?? 'input'}: ${fe.message ?? 'invalid'}`,
    };
  }
  const status = typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 600 ? fe.statusCode : 500;
  if (status < 500) {
    return { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail: fe?.message ?? 'request failed' };
  }
  return {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail: 'The server could not complete the request; the server log has the details.',
  };
}

/** Installs the one error handler and the JSON not-found handler of the API. */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    let problem: Problem;
    const ctx = (error as { validationContext?: string }).validationContext;
    if (error instanceof z.ZodError) problem = zodProblem(error, ctx);
    else problem = toProblem(error);
    // A dependency that is down is an outage, not a defect: 503 naming it, with Retry-After.
    const dependency = problem.status === 500 ? outageOf(error) : undefined;
    if (dependency) {
      const detail = outageDetail(dependency, `${request.method} ${request.url.split('?')[0]}`);
      // `failing` as /api/ready and the supervisor's 503s name the parts (server/platform/availability.ts).
      problem = { type: 'about:blank', title: 'UNAVAILABLE', status: 503, detail, component: dependency, failing: [dependency === 'PostgreSQL' ? 'postgres' : 'temporal'] };
    }
    if (problem.status === 503) {
      reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      request.log.warn({ status: 503, component: problem.component }, problem.detail);
    } else if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, problem);
  });
}

export function notFoundProblem(request: FastifyRequest): Problem {
  return {
    type: 'about:blank',
    title: 'Not Found',
    status: 404,
    detail: `no route for ${request.method} ${request.url.split('?')[0]}; the API is described at /api/docs`,
  };
}
