/** Process instances: create, search, get, cancel (Camunda 8 /v2/process-instances). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ServiceError } from '../../../services/errors.js';
import { cancelProcessInstance, createProcessInstance } from '../../../services/instances.js';
import { routeSchema, type ZodTypeProvider } from '../../http/schema.js';
import { engineDeps } from './deps.js';
import { iso, KeyParam, searchRoute, type SearchSpec } from './search.js';

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

export const ProcessInstance = z.object({
  processInstanceKey: z.string(),
  processDefinitionId: z.string(),
  processDefinitionName: z.string().optional(),
  processDefinitionVersion: z.number().int(),
  processDefinitionKey: z.string(),
  parentProcessInstanceKey: z.string().optional(),
  parentElementInstanceKey: z.string().optional(),
  startDate: z.string(),
  endDate: z.string().optional(),
  state: z.enum(['ACTIVE', 'COMPLETED', 'TERMINATED']),
  hasIncident: z.boolean(),
  tenantId: z.string(),
});

interface Row {
  key: string;
  bpmn_process_id: string;
  name: string | null;
  version: number;
  process_definition_key: string;
  parent_process_instance_key: string | null;
  parent_element_instance_key: string | null;
  start_date: Date;
  end_date: Date | null;
  state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
  has_incident: boolean;
  tenant_id: string;
}

const TABLE = 'process_instance pi LEFT JOIN process_definition pd ON pd.key = pi.process_definition_key';
const SELECT = `pi.key::text, pi.bpmn_process_id, pd.name, pi.version, pi.process_definition_key::text, pi.parent_process_instance_key::text,
  pi.parent_element_instance_key::text, pi.start_date, pi.end_date, pi.state, pi.has_incident, pi.tenant_id`;

const toItem = (r: Row): z.infer<typeof ProcessInstance> => ({
  processInstanceKey: r.key,
  processDefinitionId: r.bpmn_process_id,
  processDefinitionVersion: r.version,
  processDefinitionKey: r.process_definition_key,
  startDate: iso(r.start_date)!,
  state: r.state,
  hasIncident: r.has_incident,
  tenantId: r.tenant_id,
  ...(r.name ? { processDefinitionName: r.name } : {}),
  ...(r.end_date ? { endDate: iso(r.end_date) } : {}),
  ...(r.parent_process_instance_key ? { parentProcessInstanceKey: r.parent_process_instance_key } : {}),
  ...(r.parent_element_instance_key ? { parentElementInstanceKey: r.parent_element_instance_key } : {}),
});

const spec: SearchSpec = {
  table: TABLE,
  select: SELECT,
  fields: {
    processInstanceKey: { column: 'pi.key' },
    processDefinitionId: { column: 'pi.bpmn_process_id' },
    processDefinitionKey: { column: 'pi.process_definition_key' },
    processDefinitionVersion: { column: 'pi.version' },
    processDefinitionName: { column: 'pd.name' },
    parentProcessInstanceKey: { column: 'pi.parent_process_instance_key' },
    parentElementInstanceKey: { column: 'pi.parent_element_instance_key' },
    state: { column: 'pi.state' },
    hasIncident: { column: 'pi.has_incident', kind: 'bool' },
    tenantId: { column: 'pi.tenant_id' },
    startDate: { column: 'pi.start_date' },
    endDate: { column: 'pi.end_date' },
  },
  defaultSort: 'pi.key ASC',
};

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

  searchRoute<Row, typeof ProcessInstance>(app, { url: '/v2/process-instances/search', tag: 'process instances', summary: 'Search process instances', item: ProcessInstance, spec, toItem });

  r.get(
    '/v2/process-instances/:processInstanceKey',
    { schema: routeSchema({ tags: ['process instances'], summary: 'Get a process instance', params: Params, response: { 200: ProcessInstance } }) },
    async (req) => {
      const { rows } = await app.db.query<Row>(`SELECT ${SELECT} FROM ${TABLE} WHERE pi.key = $1`, [req.params.processInstanceKey]);
      if (!rows[0]) throw new ServiceError('NOT_FOUND', `Process instance with key '${req.params.processInstanceKey}' not found`);
      return toItem(rows[0]);
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
