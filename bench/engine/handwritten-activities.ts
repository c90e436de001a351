/**
 * Activities of the hand-written baseline workflow (handwritten-workflow.ts): the service task runs
 * the same job handler the interpreter's worker runs, and the user task is the same `user_task` row
 * the interpreter's projection writes, so the bot finds and completes both through
 * /v2/user-tasks/search and /v2/user-tasks/{key}/completion alike.
 */
import type pg from 'pg';
import type { JobHandler } from '../../activities/index.js';

export const HANDWRITTEN_PROCESS_ID = 'bench-handwritten';

export function createHandwrittenActivities(pool: pg.Pool, handler: JobHandler) {
  return {
    async serviceTask(req: { processInstanceKey: string; elementInstanceKey: string; variables: Record<string, unknown> }) {
      const result = await handler({
        processInstanceKey: req.processInstanceKey,
        bpmnProcessId: HANDWRITTEN_PROCESS_ID,
        elementInstanceKey: req.elementInstanceKey,
        elementId: 'calc',
        jobType: 'double',
        headers: {},
        variables: req.variables,
      });
      return result ?? {};
    },

    async openUserTask(req: { userTaskKey: string; processInstanceKey: string; elementId: string; at: number }) {
      await pool.query(
        `INSERT INTO user_task (key, element_instance_key, process_instance_key, process_definition_key, bpmn_process_id, element_id, state,
           candidate_groups, candidate_users, priority, creation_date)
         VALUES ($1, $1, $2, 0, $3, $4, 'CREATED', '{}', '{}', 50, $5) ON CONFLICT (key) DO NOTHING`,
        [req.userTaskKey, req.processInstanceKey, HANDWRITTEN_PROCESS_ID, req.elementId, new Date(req.at).toISOString()],
      );
    },

    async closeUserTask(req: { userTaskKey: string; variables: Record<string, unknown>; at: number }) {
      await pool.query("UPDATE user_task SET state = 'COMPLETED', completion_date = $2, completed_variables = $3 WHERE key = $1", [
        req.userTaskKey,
        new Date(req.at).toISOString(),
        JSON.stringify(req.variables),
      ]);
    },
  };
}

export type HandwrittenActivities = ReturnType<typeof createHandwrittenActivities>;
