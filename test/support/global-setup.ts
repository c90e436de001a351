/**
 * Vitest global setup: ONE PostgreSQL server and ONE Temporal dev server for the whole test run.
 *
 * - DATABASE_URL set: that server is used (its user needs CREATEDB); otherwise an embedded PostgreSQL
 *   on a free port with a temporary data directory.
 * - TEMPORAL_ADDRESS set: that server is used; otherwise `temporal server start-dev` on a free port,
 *   headless, in memory.
 * Tests read them with inject('databaseUrl') / inject('temporalAddress'), usually through
 * test/support/stack.ts.
 *
 * First it prepares the machine (scripts/lib/test-machine.ts): the Temporal CLI (built with Go when
 * missing), Temporal's Java test server, chromium and the CJK font — skipped when present.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../server/platform/embedded-postgres.js';
import { startTemporalDevServer } from '../../server/platform/temporal-dev-server.js';
import { prepareTestMachine } from '../../scripts/lib/test-machine.js';
import { SEARCH_ATTRIBUTES } from '../../server/temporal.js';
import { freePort } from './ports.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stops: (() => Promise<void>)[] = [];
  let tempDir: string | undefined;
  const teardown = async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => console.error('test teardown:', err));
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  };

  try {
    let databaseUrl = process.env.DATABASE_URL;
    let temporalAddress = process.env.TEMPORAL_ADDRESS;
    const prepared = prepareTestMachine();
    prepared.catch(() => undefined); // its failure is the Temporal start's, reported below
    const [pgResult, temporalResult] = await Promise.allSettled([
      databaseUrl
        ? null
        : (async () => {
            tempDir = await mkdtemp(path.join(tmpdir(), 'gongdian-test-'));
            await chmod(tempDir, 0o755); // PostgreSQL runs as user postgres when we are root
            return startEmbeddedPostgres({ dataDir: path.join(tempDir, 'pg'), port: await freePort(), database: 'postgres' });
          })(),
      temporalAddress
        ? null
        : (async () =>
            startTemporalDevServer({
              cli: (await prepared).temporalCli ?? null,
              port: await freePort(),
              uiPort: null,
              namespace: 'default',
              searchAttributes: SEARCH_ATTRIBUTES,
            }))(),
    ]);
    const pg = pgResult.status === 'fulfilled' ? pgResult.value : null;
    const temporal = temporalResult.status === 'fulfilled' ? temporalResult.value : null;
    if (pg) {
      stops.push(() => pg.stop());
      databaseUrl = pg.adminUrl;
    }
    if (temporal) {
      stops.push(() => temporal.stop());
      temporalAddress = temporal.address;
    }
    await prepared.catch(() => undefined);
    if (pgResult.status === 'rejected') throw pgResult.reason;
    if (temporalResult.status === 'rejected') throw temporalResult.reason;
    project.provide('databaseUrl', databaseUrl as string);
    project.provide('temporalAddress', temporalAddress as string);
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}
