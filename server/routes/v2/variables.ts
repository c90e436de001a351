/** Variables: search and get (Camunda 8 /v2/variables). Values are JSON text, as there. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { instanceScope } from '../../auth/visibility.js';
import { searchRoute, type SearchSpec } from './search.js';

const Variable = z.object({
  variableKey: z.string(),
  name: z.string(),
  value: z.string(),
  isTruncated: z.boolean(),
  processInstanceKey: z.string(),
  scopeKey: z.string(),
  tenantId: z.string(),
});

interface Row {
  scope_key: string;
  name: string;
  value_text: string;
  process_instance_key: string;
  tenant_id: string;
}

const spec: SearchSpec = {
  table: 'variable',
  select: 'scope_key::text, name, value::text AS value_text, process_instance_key::text, tenant_id',
  fields: {
    name: { column: 'name' },
    processInstanceKey: { column: 'process_instance_key' },
    scopeKey: { column: 'scope_key' },
    tenantId: { column: 'tenant_id' },
    value: { column: 'value::text' },
  },
  defaultSort: 'process_instance_key ASC, scope_key ASC, name ASC',
};

const toItem = (v: Row): z.input<typeof Variable> => ({
  variableKey: `${v.scope_key}-${v.name}`,
  name: v.name,
  value: v.value_text,
  isTruncated: false,
  processInstanceKey: v.process_instance_key,
  scopeKey: v.scope_key,
  tenantId: v.tenant_id,
});

export async function variableRoutes(app: FastifyInstance): Promise<void> {
  searchRoute<Row, typeof Variable>(app, {
    url: '/v2/variables/search',
    tag: 'variables',
    summary: 'Search variables (department heads: of the instances their departments have or had tasks in)',
    item: Variable,
    spec,
    toItem,
    scope: (req) => instanceScope(req.user!, 'process_instance_key'),
  });
}
