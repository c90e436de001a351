/** POST /v2/deployments — multipart upload of BPMN resources (field "resources"), as in Camunda 8. */
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { deploy, type DeployResource } from '../../../services/definitions.js';
import { ServiceError } from '../../../services/errors.js';
import { engineDeps } from './deps.js';

/** Largest accepted resource; larger uploads are refused before parsing. */
export const MAX_RESOURCE_BYTES = 5 * 1024 * 1024;

export async function deploymentRoutes(app: FastifyInstance): Promise<void> {
  await app.register(multipart, { limits: { fileSize: MAX_RESOURCE_BYTES, files: 50, fields: 10, parts: 60 } });

  app.post(
    '/v2/deployments',
    {
      schema: {
        tags: ['deployments'],
        summary: 'Deploy resources (multipart/form-data, one or more files in field "resources")',
        consumes: ['multipart/form-data'],
      } as never,
    },
    async (req, reply) => {
      if (!req.isMultipart()) {
        throw new ServiceError('INVALID_ARGUMENT', 'Send the resources as multipart/form-data with one or more files in the field "resources"');
      }
      const resources: DeployResource[] = [];
      for await (const part of req.parts()) {
        if (part.type !== 'file') continue;
        if (part.fieldname !== 'resources') {
          throw new ServiceError('INVALID_ARGUMENT', `Unexpected file field '${part.fieldname}': put resources in the field "resources"`);
        }
        const buf = await part.toBuffer().catch((err: { code?: string }) => {
          if (err.code === 'FST_REQ_FILE_TOO_LARGE') {
            throw new ServiceError('INVALID_ARGUMENT', `Resource '${part.filename}' is larger than ${MAX_RESOURCE_BYTES / 1024 / 1024} MiB`);
          }
          throw err;
        });
        resources.push({ name: part.filename, content: buf.toString('utf8') });
      }
      const result = await deploy(engineDeps(app), resources, req.user?.username);
      return reply.send(result);
    },
  );
}
