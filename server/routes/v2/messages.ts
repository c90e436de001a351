/** Messages: publication (buffered with a time to live) and correlation (Camunda 8 /v2/messages). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { correlateMessage, publishMessage } from '../../../services/messages.js';
import { broadcastSignal } from '../../../services/signals.js';
import { routeSchema, type ZodTypeProvider } from '../../http/schema.js';
import { engineDeps } from './deps.js';

const Variables = z.record(z.string(), z.unknown());

const Publication = z.object({
  name: z.string().min(1, 'name is required'),
  correlationKey: z.string().default(''),
  timeToLive: z.number().int().min(0).default(0),
  messageId: z.string().optional(),
  variables: Variables.optional(),
  tenantId: z.string().optional(),
});

const Correlation = z.object({
  name: z.string().min(1, 'name is required'),
  correlationKey: z.string().default(''),
  variables: Variables.optional(),
  tenantId: z.string().optional(),
});

export async function messageRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/v2/messages/publication',
    {
      schema: routeSchema({
        tags: ['messages'],
        summary: 'Publish a message (buffered for timeToLive ms when no instance waits yet)',
        body: Publication,
        response: { 200: z.object({ messageKey: z.string(), tenantId: z.string() }) },
      }),
    },
    async (req) => {
      const { name, correlationKey, timeToLive, messageId, variables } = req.body;
      return publishMessage(engineDeps(app), {
        name,
        correlationKey,
        timeToLive,
        ...(messageId ? { messageId } : {}),
        ...(variables ? { variables } : {}),
      });
    },
  );

  r.post(
    '/v2/messages/correlation',
    {
      schema: routeSchema({
        tags: ['messages'],
        summary: 'Correlate a message now (404 when no instance waits for it)',
        body: Correlation,
        response: { 200: z.object({ messageKey: z.string(), tenantId: z.string(), processInstanceKey: z.string() }) },
      }),
    },
    async (req) => {
      const { name, correlationKey, variables } = req.body;
      return correlateMessage(engineDeps(app), { name, correlationKey, ...(variables ? { variables } : {}) });
    },
  );

  r.post(
    '/v2/signals/broadcast',
    {
      schema: routeSchema({
        tags: ['signals'],
        summary: 'Broadcast a signal to every waiting instance and signal start event',
        body: z.object({ signalName: z.string().min(1, 'signalName is required'), variables: Variables.optional(), tenantId: z.string().optional() }),
        response: { 200: z.object({ signalKey: z.string(), tenantId: z.string() }) },
      }),
    },
    async (req) => broadcastSignal(engineDeps(app), { signalName: req.body.signalName, ...(req.body.variables ? { variables: req.body.variables } : {}) }),
  );
}
