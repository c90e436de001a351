/** Incidents: search, get, resolution (Camunda 8 /v2/incidents). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ServiceError } from '../../../services/errors.js';
import { resolveIncident } from '../../../services/incidents.js';
import { routeSchema, type ZodTypeProvider } from '../../http/schema.js';
import { engineDeps } from './deps.js';
import { iso, KeyParam, searchRoute, type SearchSpec } from './search.js';

const Incident = z.object({
  incidentKey: z.string(),
  processDefinitionKey: z.string(),
  processDefinitionId: z.string(),
  processInstanceKey: z.string(),
  errorType: z.string(),
  errorMessage: z.string(),
  elementId: z.string(),
  elementInstanceKey: z.string(),
  creationTime: z.string(),
  state: z.enum(['ACTIVE', 'RESOLVED', 'MIGRATED', 'PENDING']),
  tenantId: z.string(),
});

interface Row {
  key: string;
  process_definition_key: string;
  bpmn_process_id: string;
  process_instance_key: string;
  error_type: string;
  error_message: string;
  element_id: string;
  element_instance_key: string;
  creation_time: Date;
  state: 'ACTIVE' | 'RESOLVED';
  tenant_id: string;
}

const SELECT = `key::text, process_definition_key::text, bpmn_process_id, process_instance_key::text, error_type, error_message, element_id,
  element_instance_key::text, creation_time, state, tenant_id`;

const toItem = (r: Row): z.infer<typeof Incident> => ({
  incidentKey: r.key,
  processDefinitionKey: r.process_definition_key,
  processDefinitionId: r.bpmn_process_id,
  processInstanceKey: r.process_instance_key,
  errorType: r.error_type,
  errorMessage: r.error_message,
  elementId: r.element_id,
  elementInstanceKey: r.element_instance_key,
  creationTime: iso(r.creation_time)!,
  state: r.state,
  tenantId: r.tenant_id,
});

const spec: SearchSpec = {
  table: 'incident',
  select: SELECT,
  fields: {
    incidentKey: { column: 'key' },
    processDefinitionKey: { column: 'process_definition_key' },
    processDefinitionId: { column: 'bpmn_process_id' },
    processInstanceKey: { column: 'process_instance_key' },
    errorType: { column: 'error_type' },
    elementId: { column: 'element_id' },
    elementInstanceKey: { column: 'element_instance_key' },
    state: { column: 'state' },
    tenantId: { column: 'tenant_id' },
    creationTime: { column: 'creation_time' },
  },
  defaultSort: 'key ASC',
};

async function findIncident(app: FastifyInstance, key: string): Promise<Row> {
  const { rows } = await app.db.query<Row>(`SELECT ${SELECT} FROM incident WHERE key = $1`, [key]);
  if (!rows[0]) throw new ServiceError('NOT_FOUND', `Incident with key '${key}' not found`);
  return rows[0];
}

export async function incidentRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const Params = KeyParam('incidentKey');

  searchRoute<Row, typeof Incident>(app, { url: '/v2/incidents/search', tag: 'incidents', summary: 'Search incidents', item: Incident, spec, toItem });

  r.get(
    '/v2/incidents/:incidentKey',
    { schema: routeSchema({ tags: ['incidents'], summary: 'Get an incident', params: Params, response: { 200: Incident } }) },
    async (req) => toItem(await findIncident(app, req.params.incidentKey)),
  );

  r.post(
    '/v2/incidents/:incidentKey/resolution',
    { schema: routeSchema({ tags: ['incidents'], summary: 'Resolve an incident (retries the failed job or step)', params: Params }) },
    async (req, reply) => {
      await resolveIncident(engineDeps(app), req.params.incidentKey);
      return reply.code(204).send();
    },
  );
}
