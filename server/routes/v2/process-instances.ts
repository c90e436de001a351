/** Process instances: create, search, get, cancel (Camunda 8 /v2/process-instances). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ServiceError } from '../../../services/errors.js';
import { cancelProcessInstance, createProcessInstance } from '../../../services/instances.js';
import { canSeeInstance, instanceScope } from '../../auth/visibility.js';
import { routeSchema, type ZodTypeProvider } from '../../http/schema.js';
import { engineDeps } from './deps.js';
import { bool, date, defineResource, int, key, oneOf, optDate, optKey, optText, text } from './columns.js';
import { findItem, KeyParam, searchRoute } from './search.js';

const CreateRequest = z
  .object({
    processDefinitionKey: z.string().regex(/^\d+$/, 'processDefinitionKey must be a numeric key').optional(),
    processDefinitionId: z.string().min(1).optional(),
    processDefinitionVersion: z.number().int().optional(),
    variables: z.record(z.string(), z.unknown()).optional(),
    tenantId: z.string().optional(),
    operationReference: z.number().int().optional(),
  })
  .refine((b) => b.processDefinitionKey || b.processDefinitionId, {
    message: 'give processDefinitionKey or processDefinitionId',
  });

const Created = z.object({
  processDefinitionId: z.string(),
  processDefinitionVersion: z.number().int(),
  processDefinitionKey: z.string(),
  processInstanceKey: z.string(),
  tenantId: z.string(),
  variables: z.record(z.string(), z.unknown()),
});

export const processInstances = defineResource({
  table: 'process_instance pi LEFT JOIN process_definition pd ON pd.key = pi.process_definition_key',
  columns: {
    processInstanceKey: key('pi.key'),
    processDefinitionId: text('pi.bpmn_process_id'),
    processDefinitionName: optText('pd.name'),
    processDefinitionVersion: int('pi.version'),
    processDefinitionKey: key('pi.process_definition_key'),
    parentProcessInstanceKey: optKey('pi.parent_process_instance_key'),
    parentElementInstanceKey: optKey('pi.parent_element_instance_key'),
    startDate: date('pi.start_date'),
    endDate: optDate('pi.end_date'),
    state: oneOf('pi.state', ['ACTIVE', 'COMPLETED', 'TERMINATED']),
    hasIncident: bool('pi.has_incident'),
    tenantId: text('pi.tenant_id'),
  },
  defaultSort: 'pi.key ASC',
});
export const ProcessInstance = processInstances.item;

/** The client's idempotency key: the Idempotency-Key header, else Camunda's operationReference. */
function idempotencyKey(header: string | string[] | undefined, operationReference: number | undefined): string | undefined {
  if (Array.isArray(header)) throw new ServiceError('INVALID_ARGUMENT', 'Idempotency-Key: give the header once');
  if (header !== undefined) {
    if (!/^[\x21-\x7e]{1,255}$/.test(header)) {
      throw new ServiceError('INVALID_ARGUMENT', 'Idempotency-Key: 1-255 visible ASCII characters (a UUID, for example)');
    }
    return header;
  }
  return operationReference !== undefined ? `operationReference:${operationReference}` : undefined;
}

export async function processInstanceRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const Params = KeyParam('processInstanceKey');

  r.post(
    '/v2/process-instances',
    { schema: routeSchema({ tags: ['process instances'], summary: 'Create a process instance', body: CreateRequest, response: { 200: Created } }) },
    async (req) => {
      const { processDefinitionKey, processDefinitionId, processDefinitionVersion, variables, operationReference } = req.body;
      const key = idempotencyKey(req.headers['idempotency-key'], operationReference);
      // Nothing heartbeats a lost external job's activity but the sweep: three sweeps without one mean it is lost.
      const sweepMs = app.config.reconcileIntervalMs;
      return createProcessInstance(engineDeps(app), {
        ...(key ? { idempotency: { key, user: req.user!.username } } : {}),
        ...(sweepMs > 0 ? { externalJobHeartbeatMs: Math.max(30_000, 3 * sweepMs) } : {}),
        ...(processDefinitionKey ? { processDefinitionKey } : {}),
        ...(processDefinitionId ? { processDefinitionId } : {}),
        ...(processDefinitionVersion !== undefined && processDefinitionVersion >= 0 ? { processDefinitionVersion } : {}),
        ...(variables ? { variables } : {}),
      });
    },
  );

  searchRoute(app, {
    url: '/v2/process-instances/search',
    tag: 'process instances',
    summary: 'Search process instances (department heads see the instances their departments have or had tasks in)',
    resource: processInstances,
    scope: (req) => instanceScope(req.user!, 'pi.key'),
  });

  r.get(
    '/v2/process-instances/:processInstanceKey',
    { schema: routeSchema({ tags: ['process instances'], summary: 'Get a process instance', params: Params, response: { 200: ProcessInstance } }) },
    async (req) => {
      const item = await findItem(app.db, processInstances, 'pi.key = $1', [req.params.processInstanceKey]);
      if (!item || !(await canSeeInstance(app.db, req.user!, req.params.processInstanceKey))) {
        throw new ServiceError('NOT_FOUND', `Process instance with key '${req.params.processInstanceKey}' not found`);
      }
      return item;
    },
  );

  r.post(
    '/v2/process-instances/:processInstanceKey/cancellation',
    { schema: routeSchema({ tags: ['process instances'], summary: 'Cancel a process instance', params: Params }) },
    async (req, reply) => {
      await cancelProcessInstance(engineDeps(app), req.params.processInstanceKey);
      return reply.code(204).send();
    },
  );
}
