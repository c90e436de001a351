/**
 * Every HTTP route module of the API, registered in this order by buildApp().
 * Add one line per resource; each module exports `async function (app: FastifyInstance)`.
 */
import type { FastifyInstance } from 'fastify';
import { adminRoutes } from './admin.js';
import { assessmentRoutes } from './assessment.js';
import { draftRoutes } from './drafts.js';
import { authRoutes } from './auth.js';
import { evaluationRoutes } from './evaluations.js';
import { boardRoutes } from './board.js';
import { healthRoutes } from './health.js';
import { hubRoutes } from './hub.js';
import { instanceSlaRoutes } from './instance-sla.js';
import { outageRoutes } from './outages.js';
import { preferenceRoutes } from './preferences.js';
import { companySettingRoutes } from './company-settings.js';
import { slaRoutes } from './sla.js';
import { reconciliationRoutes } from './reconciliation.js';
import { taskDeskRoutes } from './task-desk.js';
import { v2Routes } from './v2/index.js';

export async function registerRoutes(app: FastifyInstance): Promise<void> {
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(preferenceRoutes);
  await app.register(adminRoutes);
  await app.register(reconciliationRoutes);
  await app.register(v2Routes);
  await app.register(slaRoutes);
  await app.register(hubRoutes);
  await app.register(outageRoutes);
  await app.register(assessmentRoutes);
  await app.register(evaluationRoutes);
  await app.register(instanceSlaRoutes);
  await app.register(taskDeskRoutes);
  await app.register(boardRoutes);
  await app.register(draftRoutes);
  await app.register(companySettingRoutes);
}
