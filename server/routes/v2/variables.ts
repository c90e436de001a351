/** Variables: search and get (Camunda 8 /v2/variables). Values are JSON text, as there. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { instanceScope } from '../../auth/visibility.js';
import { defineResource, key, readOnly, text } from './columns.js';
import { searchRoute } from './search.js';

export const variables = defineResource({
  table: 'variable',
  columns: {
    variableKey: readOnly(text("scope_key::text || '-' || name")),
    name: text('name'),
    value: text('value::text'),
    isTruncated: { type: z.boolean(), select: 'false' },
    processInstanceKey: key('process_instance_key'),
    scopeKey: key('scope_key'),
    tenantId: text('tenant_id'),
  },
  defaultSort: 'process_instance_key ASC, scope_key ASC, name ASC',
});

export async function variableRoutes(app: FastifyInstance): Promise<void> {
  searchRoute(app, {
    url: '/v2/variables/search',
    tag: 'variables',
    summary: 'Search variables (department heads: of the instances their departments have or had tasks in)',
    resource: variables,
    scope: (req) => instanceScope(req.user!, 'process_instance_key'),
  });
}
