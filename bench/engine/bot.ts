/**
 * The benchmark's bot: a person working the task list as fast as possible, through the HTTP API
 * only. It polls POST /v2/user-tasks/search for open tasks of one process and completes each with
 * POST /v2/user-tasks/{key}/completion, several at a time.
 */
import type { Engine } from '../../scripts/lib/local-stack.js';

export interface Bot {
  /** Stops polling and waits for completions in flight; returns what it did. */
  stop(): Promise<{ completed: number; searches: number; failures: string[] }>;
}

export function startBot(engine: Engine, processDefinitionId: string, pollMs: number): Bot {
  let running = true;
  let searches = 0;
  const failures: string[] = [];
  const inFlight = new Map<string, Promise<void>>();
  const done = new Set<string>();

  const complete = async (key: string) => {
    const res = await engine.api('POST', `/v2/user-tasks/${key}/completion`, { variables: { approved: true } });
    if (res.statusCode === 204) done.add(key);
    else if (failures.length < 20) failures.push(`${key}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  };

  const loop = (async () => {
    while (running) {
      searches++;
      const res = await engine.api('POST', '/v2/user-tasks/search', {
        filter: { processDefinitionId, state: 'CREATED' },
        page: { limit: 200 },
      });
      if (res.statusCode !== 200) {
        if (failures.length < 20) failures.push(`search: ${res.statusCode} ${res.body.slice(0, 200)}`);
      } else {
        for (const task of res.json<{ items: Array<{ userTaskKey: string }> }>().items) {
          const key = task.userTaskKey;
          if (inFlight.has(key) || done.has(key)) continue;
          inFlight.set(
            key,
            complete(key)
              .catch((err: unknown) => void failures.push(`${key}: ${err instanceof Error ? err.message : String(err)}`))
              .finally(() => inFlight.delete(key)),
          );
        }
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
  })();

  return {
    async stop() {
      running = false;
      await loop;
      await Promise.all(inFlight.values());
      return { completed: done.size, searches, failures };
    },
  };
}
