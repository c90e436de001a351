/** Camunda 8 Orchestration Cluster REST API (v2) subset: same paths, shapes, status codes and problem+json. */
import type { FastifyInstance } from 'fastify';
import { deploymentRoutes } from './deployments.js';
import { elementInstanceRoutes } from './element-instances.js';
import { incidentRoutes } from './incidents.js';
import { jobRoutes } from './jobs.js';
import { messageRoutes } from './messages.js';
import { processDefinitionRoutes } from './process-definitions.js';
import { processInstanceRoutes } from './process-instances.js';
import { userTaskRoutes } from './user-tasks.js';
import { variableRoutes } from './variables.js';

export async function v2Routes(app: FastifyInstance): Promise<void> {
  await app.register(deploymentRoutes);
  await app.register(processDefinitionRoutes);
  await app.register(processInstanceRoutes);
  await app.register(elementInstanceRoutes);
  await app.register(userTaskRoutes);
  await app.register(incidentRoutes);
  await app.register(variableRoutes);
  await app.register(messageRoutes);
  await app.register(jobRoutes);
}
