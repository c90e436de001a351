/** Element instances: search and get (Camunda 8 /v2/element-instances). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ServiceError } from '../../../services/errors.js';
import { setElementVariables } from '../../../services/variables.js';
import { routeSchema, type ZodTypeProvider } from '../../http/schema.js';
import { engineDeps } from './deps.js';
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
      if (!rows[0]) throw new ServiceError('NOT_FOUND', `Element instance with key '${key}' not found`);
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
      const { elementInstanceKey } = req.params as { elementInstanceKey: string };
      await setElementVariables(engineDeps(app), { elementInstanceKey, variables: req.body.variables, local: req.body.local });
      return reply.code(204).send();
    },
  );
}
