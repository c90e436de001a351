/** Element instances: search and get (Camunda 8 /v2/element-instances). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ServiceError } from '../../../services/errors.js';
import { setElementVariables } from '../../../services/variables.js';
import { assertVariables } from '../../../workflows/variables-limits.js';
import { canSeeInstance, instanceScope } from '../../auth/visibility.js';
import { routeSchema, type ZodTypeProvider } from '../../http/schema.js';
import { engineDeps } from './deps.js';
import { bool, date, defineResource, key, oneOf, optDate, optKey, optText, readOnly, text } from './columns.js';
import { findItem, KeyParam, searchRoute } from './search.js';

export const elementInstances = defineResource({
  table: 'element_instance ei JOIN process_instance pi ON pi.key = ei.process_instance_key LEFT JOIN process_definition pd ON pd.key = pi.process_definition_key',
  columns: {
    elementInstanceKey: key('ei.key'),
    processInstanceKey: key('ei.process_instance_key'),
    processDefinitionKey: key('pi.process_definition_key'),
    processDefinitionId: text('pi.bpmn_process_id'),
    elementId: text('ei.element_id'),
    elementName: readOnly(optText("pd.model->'nodes'->ei.element_id->>'name'")),
    // 'userTask' → 'USER_TASK', as Camunda names element types
    type: text("upper(regexp_replace(ei.element_type, '([a-z])([A-Z])', '\\1_\\2', 'g'))"),
    state: oneOf('ei.state', ['ACTIVE', 'COMPLETED', 'TERMINATED']),
    startDate: date('ei.start_date'),
    endDate: optDate('ei.end_date'),
    hasIncident: bool('(ei.incident_key IS NOT NULL)'),
    incidentKey: optKey('ei.incident_key'),
    tenantId: text('pi.tenant_id'),
  },
  defaultSort: 'ei.process_instance_key ASC, ei.seq ASC',
});

export async function elementInstanceRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  searchRoute(app, {
    url: '/v2/element-instances/search',
    tag: 'element instances',
    summary: 'Search element instances (department heads: of the instances their departments have or had tasks in)',
    resource: elementInstances,
    scope: (req) => instanceScope(req.user!, 'ei.process_instance_key'),
  });
  r.get(
    '/v2/element-instances/:elementInstanceKey',
    { schema: routeSchema({ tags: ['element instances'], summary: 'Get an element instance', params: KeyParam('elementInstanceKey'), response: { 200: elementInstances.item } }) },
    async (req) => {
      const { elementInstanceKey } = req.params as { elementInstanceKey: string };
      const item = await findItem(app.db, elementInstances, 'ei.key = $1', [elementInstanceKey]);
      if (!item || !(await canSeeInstance(app.db, req.user!, item.processInstanceKey))) {
        throw new ServiceError('NOT_FOUND', `Element instance with key '${elementInstanceKey}' not found`);
      }
      return item;
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
      assertVariables(req.body.variables, app.config.variableLimits);
      await setElementVariables(engineDeps(app), { elementInstanceKey, variables: req.body.variables, local: req.body.local });
      return reply.code(204).send();
    },
  );
}
