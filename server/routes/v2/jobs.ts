/** External job workers: activation, completion, failure, BPMN error (Camunda 8 /v2/jobs). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { activateJobs, completeJob, failJob, throwJobError } from '../../../services/jobs.js';
import { routeSchema, type ZodTypeProvider } from '../../http/schema.js';
import { engineDeps } from './deps.js';
import { KeyParam } from './search.js';

const Variables = z.record(z.string(), z.unknown());

export async function jobRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const Params = KeyParam('jobKey');

  r.post(
    '/v2/jobs/activation',
    {
      schema: routeSchema({
        tags: ['jobs'],
        summary: 'Activate jobs of a type for an external worker (service tasks whose type has no handler in the engine)',
        body: z.object({
          type: z.string().min(1, 'type is required'),
          worker: z.string().default('default'),
          timeout: z.number().int().min(1, 'timeout must be a positive number of milliseconds'),
          maxJobsToActivate: z.number().int().min(1).max(1000),
          fetchVariable: z.array(z.string()).optional(),
          requestTimeout: z.number().int().min(0).optional(),
          tenantIds: z.array(z.string()).optional(),
        }),
      }),
    },
    async (req) => {
      const { type, worker, timeout, maxJobsToActivate, fetchVariable, requestTimeout } = req.body;
      return activateJobs(engineDeps(app), {
        type,
        worker,
        timeout,
        maxJobsToActivate,
        ...(fetchVariable ? { fetchVariable } : {}),
        ...(requestTimeout !== undefined ? { requestTimeout } : {}),
      });
    },
  );

  r.post(
    '/v2/jobs/:jobKey/completion',
    { schema: routeSchema({ tags: ['jobs'], summary: 'Complete a job', params: Params, body: z.object({ variables: Variables.optional() }).default({}) }) },
    async (req, reply) => {
      await completeJob(engineDeps(app), req.params.jobKey, req.body.variables ?? {});
      return reply.code(204).send();
    },
  );

  r.post(
    '/v2/jobs/:jobKey/failure',
    {
      schema: routeSchema({
        tags: ['jobs'],
        summary: 'Report a failed job: with retries left it is activatable again, without an incident is raised',
        params: Params,
        body: z.object({ retries: z.number().int().min(0).default(0), errorMessage: z.string().optional(), retryBackOff: z.number().int().min(0).optional() }),
      }),
    },
    async (req, reply) => {
      const { retries, errorMessage, retryBackOff } = req.body;
      await failJob(engineDeps(app), req.params.jobKey, { retries, ...(errorMessage ? { errorMessage } : {}), ...(retryBackOff ? { retryBackOff } : {}) });
      return reply.code(204).send();
    },
  );

  r.post(
    '/v2/jobs/:jobKey/error',
    {
      schema: routeSchema({
        tags: ['jobs'],
        summary: 'Throw a BPMN error from a job (caught by an error boundary event or event subprocess)',
        params: Params,
        body: z.object({ errorCode: z.string().min(1, 'errorCode is required'), errorMessage: z.string().optional(), variables: Variables.optional() }),
      }),
    },
    async (req, reply) => {
      const { errorCode, errorMessage, variables } = req.body;
      await throwJobError(engineDeps(app), req.params.jobKey, { errorCode, ...(errorMessage ? { errorMessage } : {}), ...(variables ? { variables } : {}) });
      return reply.code(204).send();
    },
  );
}
