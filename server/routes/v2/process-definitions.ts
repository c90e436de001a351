/** Process definitions: search, get, XML (Camunda 8 /v2/process-definitions). */
import type { FastifyInstance } from 'fastify';
import { formDocument, getDefinition, startForm } from '../../../services/definitions.js';
import { ServiceError } from '../../../services/errors.js';
import { attachmentHeaders } from '../../auth/headers.js';
import { routeSchema, type ZodTypeProvider } from '../../http/schema.js';
import { defineResource, int, key, optText, text } from './columns.js';
import { findItem, KeyParam, searchRoute } from './search.js';
import { FormDocument } from './user-tasks.js';

/** Process definitions as the API shows them (the model and XML stay out of searches). */
export const processDefinitions = defineResource({
  table: 'process_definition',
  columns: {
    processDefinitionKey: key('key'),
    processDefinitionId: text('bpmn_process_id'),
    name: optText('name'),
    version: int('version'),
    versionTag: optText('version_tag'),
    resourceName: text('resource_name'),
    tenantId: text('tenant_id'),
  },
  filterOnly: {
    isLatestVersion: {
      column: '(version = (SELECT max(p2.version) FROM process_definition p2 WHERE p2.bpmn_process_id = process_definition.bpmn_process_id))',
      kind: 'bool',
    },
  },
  defaultSort: 'key ASC',
});
export const ProcessDefinition = processDefinitions.item;

export async function processDefinitionRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const Params = KeyParam('processDefinitionKey');

  searchRoute(app, { url: '/v2/process-definitions/search', tag: 'process definitions', summary: 'Search process definitions', resource: processDefinitions });

  r.get(
    '/v2/process-definitions/:processDefinitionKey',
    { schema: routeSchema({ tags: ['process definitions'], summary: 'Get a process definition', params: Params, response: { 200: ProcessDefinition } }) },
    async (req) => {
      const item = await findItem(app.db, processDefinitions, 'key = $1', [req.params.processDefinitionKey]);
      if (!item) throw new ServiceError('NOT_FOUND', `Process definition with key '${req.params.processDefinitionKey}' not found`);
      return item;
    },
  );

  r.get(
    '/v2/process-definitions/:processDefinitionKey/form',
    {
      schema: routeSchema({
        tags: ['process definitions'],
        summary: 'Get the start form of a process definition (form-js schema as JSON text); 204 when the process has none',
        params: Params,
        response: { 200: FormDocument },
      }),
    },
    async (req, reply) => {
      const form = await startForm({ pool: app.db }, req.params.processDefinitionKey);
      if (!form) return reply.code(204).send();
      return formDocument({ pool: app.db }, form);
    },
  );

  r.get(
    '/v2/process-definitions/:processDefinitionKey/xml',
    { schema: routeSchema({ tags: ['process definitions'], summary: 'Get the BPMN XML of a process definition', params: Params }) },
    async (req, reply) => {
      const def = await getDefinition({ pool: app.db }, req.params.processDefinitionKey);
      const { rows } = await app.db.query<{ xml: string }>('SELECT xml FROM process_definition WHERE key = $1', [req.params.processDefinitionKey]);
      // A stored upload: a download in a sandbox, never a document that runs on the product's origin.
      return reply.headers(attachmentHeaders(def.resource_name)).type('text/xml; charset=utf-8').send(rows[0]!.xml);
    },
  );
}
