/** Element instances: search and get (Camunda 8 /v2/element-instances). */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { setVariablesUpdate } from '../../../workflows/messages.js';
import { assertVariables } from '../../../workflows/variables-limits.js';
import { EngineError } from '../../engine/deps.js';
import { updateInstance } from '../../engine/updates.js';
import { routeSchema, type ZodTypeProvider } from '../../http/schema.js';
import { camundaType, iso, KeyParam, searchRoute, type SearchSpec } from './search.js';

const ElementInstance = z.object({
  elementInstanceKey: z.string(),
  processInstanceKey: z.string(),
  processDefinitionKey: z.string(),
  processDefinitionId: z.string(),
  elementId: z.string(),
  elementName: z.string().optional(),
  type: z.string(),
  state: z.enum(['ACTIVE', 'COMPLETED', 'TERMINATED']),
  startDate: z.string(),
  endDate: z.string().optional(),
  hasIncident: z.boolean(),
  incidentKey: z.string().optional(),
  tenantId: z.string(),
});

interface Row {
  key: string;
  process_instance_key: string;
  process_definition_key: string;
  bpmn_process_id: string;
  element_id: string;
  element_type: string;
  state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
  start_date: Date;
  end_date: Date | null;
  incident_key: string | null;
  tenant_id: string;
  model_name: string | null;
}

const TABLE = 'element_instance ei JOIN process_instance pi ON pi.key = ei.process_instance_key LEFT JOIN process_definition pd ON pd.key = pi.process_definition_key';
const SELECT = `ei.key::text, ei.process_instance_key::text, pi.process_definition_key::text, pi.bpmn_process_id, ei.element_id, ei.element_type,
  ei.state, ei.start_date, ei.end_date, ei.incident_key::text, pi.tenant_id, pd.model->'nodes'->ei.element_id->>'name' AS model_name`;

const toItem = (r: Row): z.infer<typeof ElementInstance> => ({
  elementInstanceKey: r.key,
  processInstanceKey: r.process_instance_key,
  processDefinitionKey: r.process_definition_key,
  processDefinitionId: r.bpmn_process_id,
  elementId: r.element_id,
  type: camundaType(r.element_type),
  state: r.state,
  startDate: iso(r.start_date)!,
  hasIncident: r.incident_key !== null,
  tenantId: r.tenant_id,
  ...(r.model_name ? { elementName: r.model_name } : {}),
  ...(r.end_date ? { endDate: iso(r.end_date) } : {}),
  ...(r.incident_key ? { incidentKey: r.incident_key } : {}),
});

const spec: SearchSpec = {
  table: TABLE,
  select: SELECT,
  fields: {
    elementInstanceKey: { column: 'ei.key' },
    processInstanceKey: { column: 'ei.process_instance_key' },
    processDefinitionKey: { column: 'pi.process_definition_key' },
    processDefinitionId: { column: 'pi.bpmn_process_id' },
    elementId: { column: 'ei.element_id' },
    type: { column: "upper(regexp_replace(ei.element_type, '([a-z])([A-Z])', '\\1_\\2', 'g'))" },
    state: { column: 'ei.state' },
    incidentKey: { column: 'ei.incident_key' },
    hasIncident: { column: '(ei.incident_key IS NOT NULL)', kind: 'bool' },
    tenantId: { column: 'pi.tenant_id' },
    startDate: { column: 'ei.start_date' },
    endDate: { column: 'ei.end_date' },
  },
  defaultSort: 'ei.process_instance_key ASC, ei.seq ASC',
};

export async function elementInstanceRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  searchRoute<Row, typeof ElementInstance>(app, { url: '/v2/element-instances/search', tag: 'element instances', summary: 'Search element instances', item: ElementInstance, spec, toItem });
  r.get(
    '/v2/element-instances/:elementInstanceKey',
    { schema: routeSchema({ tags: ['element instances'], summary: 'Get an element instance', params: KeyParam('elementInstanceKey'), response: { 200: ElementInstance } }) },
    async (req) => {
      const key = (req.params as { elementInstanceKey: string }).elementInstanceKey;
      const { rows } = await app.db.query<Row>(`SELECT ${SELECT} FROM ${TABLE} WHERE ei.key = $1`, [key]);
      if (!rows[0]) throw new EngineError(404, 'NOT_FOUND', `Element instance with key '${key}' not found`);
      return toItem(rows[0]);
    },
  );

  r.put(
    '/v2/element-instances/:elementInstanceKey/variables',
    {
      schema: routeSchema({
        tags: ['element instances'],
        summary: 'Set variables on an element instance (local) or where they are defined (propagated), e.g. before resolving an incident',
        params: KeyParam('elementInstanceKey'),
        body: z.object({
          variables: z.record(z.string(), z.unknown()),
          local: z.boolean().default(false),
          operationReference: z.number().int().optional(),
        }),
      }),
    },
    async (req, reply) => {
      const key = (req.params as { elementInstanceKey: string }).elementInstanceKey;
      assertVariables(req.body.variables, app.config.variableLimits);
      const { rows } = await app.db.query<{ process_instance_key: string; state: string }>(
        'SELECT process_instance_key::text, state FROM element_instance WHERE key = $1',
        [key],
      );
      const el = rows[0];
      if (!el) throw new EngineError(404, 'NOT_FOUND', `Element instance with key '${key}' not found`);
      if (el.state !== 'ACTIVE') throw new EngineError(409, 'INVALID_STATE', `Element instance ${key} is ${el.state.toLowerCase()}; variables can be set on active elements only`);
      try {
        await updateInstance(app.temporal.client, el.process_instance_key, setVariablesUpdate, {
          elementInstanceKey: key,
          variables: req.body.variables,
          local: req.body.local,
        });
      } catch (err) {
        const cause = (err as { cause?: { type?: string; message?: string } }).cause;
        if (err instanceof WorkflowUpdateFailedError && cause?.type === 'INVALID') throw new EngineError(400, 'INVALID_ARGUMENT', cause.message ?? 'invalid variables');
        if (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError) {
          throw new EngineError(404, 'NOT_FOUND', `Element instance ${key} is not active any more`);
        }
        throw err;
      }
      return reply.code(204).send();
    },
  );
}
