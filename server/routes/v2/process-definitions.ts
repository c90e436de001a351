/** Process definitions: search, get, XML (Camunda 8 /v2/process-definitions). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { getDefinition, type ProcessDefinitionRow } from '../../../services/definitions.js';
import { routeSchema, type ZodTypeProvider } from '../../http/schema.js';
import { KeyParam, searchRoute, type SearchSpec } from './search.js';

export const ProcessDefinition = z.object({
  processDefinitionKey: z.string(),
  processDefinitionId: z.string(),
  name: z.string().optional(),
  version: z.number().int(),
  versionTag: z.string().optional(),
  resourceName: z.string(),
  tenantId: z.string(),
});

/** The columns of a stored definition that the API shows (the model and XML stay out of searches). */
type Row = Omit<ProcessDefinitionRow, 'model' | 'deployment_key'>;

const toItem = (r: Row): z.infer<typeof ProcessDefinition> => ({
  processDefinitionKey: r.key,
  processDefinitionId: r.bpmn_process_id,
  version: r.version,
  resourceName: r.resource_name,
  tenantId: r.tenant_id,
  ...(r.name ? { name: r.name } : {}),
  ...(r.version_tag ? { versionTag: r.version_tag } : {}),
});

const spec: SearchSpec = {
  table: 'process_definition',
  select: 'key::text, bpmn_process_id, version, name, version_tag, resource_name, tenant_id',
  fields: {
    processDefinitionKey: { column: 'key' },
    processDefinitionId: { column: 'bpmn_process_id' },
    name: { column: 'name' },
    version: { column: 'version' },
    versionTag: { column: 'version_tag' },
    resourceName: { column: 'resource_name' },
    tenantId: { column: 'tenant_id' },
    isLatestVersion: {
      column: '(version = (SELECT max(p2.version) FROM process_definition p2 WHERE p2.bpmn_process_id = process_definition.bpmn_process_id))',
      kind: 'bool',
    },
  },
  defaultSort: 'key ASC',
};

export async function processDefinitionRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const Params = KeyParam('processDefinitionKey');

  searchRoute<Row, typeof ProcessDefinition>(app, { url: '/v2/process-definitions/search', tag: 'process definitions', summary: 'Search process definitions', item: ProcessDefinition, spec, toItem });

  r.get(
    '/v2/process-definitions/:processDefinitionKey',
    { schema: routeSchema({ tags: ['process definitions'], summary: 'Get a process definition', params: Params, response: { 200: ProcessDefinition } }) },
    async (req) => toItem(await getDefinition({ pool: app.db }, req.params.processDefinitionKey)),
  );

  r.get(
    '/v2/process-definitions/:processDefinitionKey/xml',
    { schema: routeSchema({ tags: ['process definitions'], summary: 'Get the BPMN XML of a process definition', params: Params }) },
    async (req, reply) => {
      await getDefinition({ pool: app.db }, req.params.processDefinitionKey);
      const { rows } = await app.db.query<{ xml: string }>('SELECT xml FROM process_definition WHERE key = $1', [req.params.processDefinitionKey]);
      return reply.type('text/xml; charset=utf-8').send(rows[0]!.xml);
    },
  );
}
