import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MigrationError, migrate, migrationStatus, readMigrationFiles } from '../../db/migrate.js';
import { createPool } from '../../db/pool.js';
import { createTestDatabase, type TestDatabase } from '../support/stack.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function freshDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase({ migrate: false });
  cleanups.push(() => db.drop());
  return db;
}

async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'migrations-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  for (const [name, sql] of Object.entries(files)) await writeFile(path.join(dir, name), sql);
  return dir;
}

async function appliedVersions(db: TestDatabase): Promise<number[]> {
  const res = await db.pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
  return res.rows.map((r) => r.version);
}

describe('migrations', () => {
  it('applies the repository migrations once; a second run changes nothing', async () => {
    const db = await freshDatabase();
    const files = await readMigrationFiles();
    expect(files.map((f) => f.file)).toContain('0001_platform.sql');

    const first = await migrate(db.pool);
    expect(first).toEqual(files.map((f) => f.file));
    expect(await appliedVersions(db)).toEqual(files.map((f) => f.version));

    expect(await migrate(db.pool)).toEqual([]);
    expect(await appliedVersions(db)).toEqual(files.map((f) => f.version));
    expect((await migrationStatus(db.pool)).pending).toEqual([]);

    await db.pool.query(`INSERT INTO app_settings (key, value) VALUES ('k', '{"a":1}')`);
    const row = await db.pool.query('SELECT value FROM app_settings WHERE key = $1', ['k']);
    expect(row.rows[0].value).toEqual({ a: 1 });
  });

  it('is safe when two processes migrate the same fresh database at once', async () => {
    const db = await freshDatabase();
    // Separate pools stand for separate processes; the slow file widens the race window.
    const dir = await migrationsDir({
      '0001_a.sql': 'CREATE TABLE a (id int); SELECT pg_sleep(0.3);',
      '0002_b.sql': 'CREATE TABLE b (id int);',
    });
    const poolA = createPool(db.url, { max: 2 });
    const poolB = createPool(db.url, { max: 2 });
    cleanups.push(async () => {
      await poolA.end();
      await poolB.end();
    });
    const [ranA, ranB] = await Promise.all([migrate(poolA, { dir }), migrate(poolB, { dir })]);
    // Exactly one of them applied everything; the other found nothing left.
    expect([...ranA, ...ranB].sort()).toEqual(['0001_a.sql', '0002_b.sql']);
    expect([ranA.length, ranB.length].sort()).toEqual([0, 2]);
    expect(await appliedVersions(db)).toEqual([1, 2]);
  });

  it('refuses an applied migration whose file was changed', async () => {
    const db = await freshDatabase();
    const dir = await migrationsDir({ '0001_a.sql': 'CREATE TABLE a (id int);' });
    await migrate(db.pool, { dir });
    await writeFile(path.join(dir, '0001_a.sql'), 'CREATE TABLE a (id bigint);');
    await expect(migrate(db.pool, { dir })).rejects.toThrow(/0001_a\.sql was changed after it was applied/);
    await expect(migrationStatus(db.pool, dir)).rejects.toBeInstanceOf(MigrationError);
  });

  it('rolls back a failing migration and names it', async () => {
    const db = await freshDatabase();
    const dir = await migrationsDir({
      '0001_a.sql': 'CREATE TABLE a (id int);',
      '0002_bad.sql': 'CREATE TABLE half (id int); SELECT * FROM no_such_table;',
    });
    await expect(migrate(db.pool, { dir })).rejects.toThrow(/migration 0002_bad\.sql failed: .*no_such_table/);
    expect(await appliedVersions(db)).toEqual([1]);
    const half = await db.pool.query(`SELECT to_regclass('half') AS t`);
    expect(half.rows[0].t).toBeNull();
  });

  it('rejects misnamed and duplicate-version files', async () => {
    await expect(readMigrationFiles(await migrationsDir({ '1_a.sql': '' }))).rejects.toThrow(/1_a\.sql is misnamed; expected NNNN_name\.sql/);
    await expect(readMigrationFiles(await migrationsDir({ '0001_a.sql': '', '0001_b.sql': '' }))).rejects.toThrow(/share version 0001/);
  });
});
