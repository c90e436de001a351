/**
 * Versioned SQL migrations.
 *
 * Files in db/migrations and in each product module's <module>/migrations (one version sequence) are named NNNN_name.sql (four-digit version, lower-case name) and applied in
 * version order, each in its own transaction, and recorded in schema_migrations with a SHA-256 of
 * the file. An applied file that was changed afterwards stops the run: write a new migration
 * instead. Runs are serialised with a PostgreSQL advisory lock, so several processes may start at
 * the same time against one database; the second one finds nothing left to do.
 *
 * Usage: `await migrate(pool)`; `await migrationStatus(pool)` tells what is pending (for /api/ready).
 * From a shell: `tsx db/migrate.ts` with DATABASE_URL set.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
/**
 * Product modules keep their migrations in `<module>/migrations/` (README, "Layout"); all folders share
 * one sequence of version numbers and are applied in version order.
 */
export const PRODUCT_MODULES = ['sla', 'company', 'assessment'] as const;
export const MIGRATION_DIRS: readonly string[] = [
  MIGRATIONS_DIR,
  ...PRODUCT_MODULES.map((m) => fileURLToPath(new URL(`../${m}/migrations/`, import.meta.url))),
];
export const MIGRATIONS_TABLE = 'schema_migrations';
/** Advisory lock key shared by every process of this product that migrates a database. */
const LOCK_KEY = 740_391_001;

const FILE_NAME = /^(\d{4})_([a-z0-9][a-z0-9_]*)\.sql$/;

export interface MigrationFile {
  version: number;
  name: string;
  /** File name, e.g. 0001_platform.sql */
  file: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

function checksum(sql: string): string {
  // Line endings are normalised so that a checkout with CRLF does not count as a change.
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

/** Reads and checks the migration files of one folder or several (one version sequence), sorted by version. */
export async function readMigrationFiles(dirs: string | readonly string[] = MIGRATION_DIRS): Promise<MigrationFile[]> {
  const entries: Array<{ dir: string; file: string }> = [];
  for (const dir of typeof dirs === 'string' ? [dirs] : dirs) {
    for (const file of await readdir(dir)) if (file.endsWith('.sql')) entries.push({ dir, file });
  }
  entries.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const files: MigrationFile[] = [];
  const seen = new Map<number, string>();
  for (const { dir, file } of entries) {
    const m = FILE_NAME.exec(file);
    if (!m) {
      throw new MigrationError(`migration file ${file} is misnamed; expected NNNN_name.sql, e.g. 0002_task_list.sql`);
    }
    const version = Number(m[1]);
    const other = seen.get(version);
    if (other) throw new MigrationError(`migration files ${other} and ${file} share version ${m[1]}; give one a new number`);
    seen.set(version, file);
    const sql = await readFile(path.join(dir, file), 'utf8');
    files.push({ version, name: m[2], file, sql, checksum: checksum(sql) });
  }
  return files;
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

async function readApplied(db: pg.Pool | pg.PoolClient): Promise<AppliedRow[] | null> {
  const exists = await db.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [MIGRATIONS_TABLE]);
  if (!exists.rows[0]?.t) return null;
  const res = await db.query<AppliedRow>(`SELECT version, name, checksum FROM ${MIGRATIONS_TABLE} ORDER BY version`);
  return res.rows;
}

function checkUnchanged(files: MigrationFile[], applied: AppliedRow[]): void {
  const byVersion = new Map(files.map((f) => [f.version, f]));
  for (const row of applied) {
    const f = byVersion.get(row.version);
    if (f && f.checksum !== row.checksum) {
      throw new MigrationError(
        `migration ${f.file} was changed after it was applied (checksum ${row.checksum.slice(0, 12)}… in the database, ` +
          `${f.checksum.slice(0, 12)}… on disk); restore the file and put the change in a new migration`,
      );
    }
  }
}

export interface MigrationStatus {
  applied: number[];
  pending: MigrationFile[];
}

/** What is applied and what is pending, without changing anything. Throws MigrationError on a changed file. */
export async function migrationStatus(pool: pg.Pool, dir: string | readonly string[] = MIGRATION_DIRS): Promise<MigrationStatus> {
  const files = await readMigrationFiles(dir);
  const applied = (await readApplied(pool)) ?? [];
  checkUnchanged(files, applied);
  const done = new Set(applied.map((r) => r.version));
  return { applied: [...done], pending: files.filter((f) => !done.has(f.version)) };
}

export interface MigrateOptions {
  /** One folder or several; default: db/migrations and every product module's migrations. */
  dir?: string | readonly string[];
  /** Called once per applied file. */
  log?: (message: string) => void;
}

/** Applies every pending migration. Returns the file names it applied (empty when up to date). */
export async function migrate(pool: pg.Pool, options: MigrateOptions = {}): Promise<string[]> {
  const files = await readMigrationFiles(options.dir);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
        version     integer PRIMARY KEY,
        name        text NOT NULL,
        checksum    text NOT NULL,
        applied_at  timestamptz NOT NULL DEFAULT now(),
        duration_ms integer NOT NULL
      )`);
      const applied = (await readApplied(client)) ?? [];
      checkUnchanged(files, applied);
      const done = new Set(applied.map((r) => r.version));
      const appliedNow: string[] = [];
      for (const f of files) {
        if (done.has(f.version)) continue;
        const started = performance.now();
        await client.query('BEGIN');
        try {
          await client.query(f.sql);
          await client.query(`INSERT INTO ${MIGRATIONS_TABLE} (version, name, checksum, duration_ms) VALUES ($1, $2, $3, $4)`, [
            f.version,
            f.name,
            f.checksum,
            Math.round(performance.now() - started),
          ]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          const reason = err instanceof Error ? err.message : String(err);
          throw new MigrationError(`migration ${f.file} failed: ${reason}`);
        }
        appliedNow.push(f.file);
        options.log?.(`applied migration ${f.file}`);
      }
      return appliedNow;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    client.release();
  }
}

// `tsx db/migrate.ts`: migrate the database of DATABASE_URL.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { default: pgModule } = await import('pg');
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is not set; expected postgres://user:password@host:5432/database');
    process.exit(2);
  }
  const pool = new pgModule.Pool({ connectionString: url, max: 1 });
  try {
    const applied = await migrate(pool, { log: (m) => console.log(m) });
    console.log(applied.length ? `${applied.length} migration(s) applied` : 'database is up to date');
  } catch (err) {
    console.error(`migration failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  } finally {
    await pool.end();
  }
}
