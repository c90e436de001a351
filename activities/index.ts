import type pg from 'pg';

export interface ActivityDeps {
  pool: pg.Pool;
}

/** Activities factory: every side effect of the engine, with its dependencies injected. */
export function createActivities(_deps: ActivityDeps) {
  return {};
}
export type Activities = ReturnType<typeof createActivities>;
