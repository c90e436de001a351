/** Incidents: search, get, resolution (Camunda 8 /v2/incidents). */
import type { FastifyInstance } from 'fastify';
import { ServiceError } from '../../../services/errors.js';
import { resolveIncident } from '../../../services/incidents.js';
import { canSeeInstance, instanceScope } from '../../auth/visibility.js';
import { routeSchema, type ZodTypeProvider } from '../../http/schema.js';
import { engineDeps } from './deps.js';
import { date, defineResource, key, oneOf, readOnly, text } from './columns.js';
import { findItem, KeyParam, searchRoute } from './search.js';

export const incidents = defineResource({
  table: 'incident',
  columns: {
    incidentKey: key('key'),
    processDefinitionKey: key('process_definition_key'),
    processDefinitionId: text('bpmn_process_id'),
    processInstanceKey: key('process_instance_key'),
    errorType: text('error_type'),
    errorMessage: readOnly(text('error_message')),
    elementId: text('element_id'),
    elementInstanceKey: key('element_instance_key'),
    creationTime: date('creation_time'),
    state: oneOf('state', ['ACTIVE', 'RESOLVED', 'MIGRATED', 'PENDING']),
    tenantId: text('tenant_id'),
  },
  defaultSort: 'key ASC',
});

export async function incidentRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const Params = KeyParam('incidentKey');

  searchRoute(app, {
    url: '/v2/incidents/search',
    tag: 'incidents',
    summary: 'Search incidents',
    resource: incidents,
    scope: (req) => instanceScope(req.user!, 'process_instance_key'),
  });

  r.get(
    '/v2/incidents/:incidentKey',
    { schema: routeSchema({ tags: ['incidents'], summary: 'Get an incident', params: Params, response: { 200: incidents.item } }) },
    async (req) => {
      const item = await findItem(app.db, incidents, 'key = $1', [req.params.incidentKey]);
      if (!item || !(await canSeeInstance(app.db, req.user!, item.processInstanceKey))) {
        throw new ServiceError('NOT_FOUND', `Incident with key '${req.params.incidentKey}' not found`);
      }
      return item;
    },
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
