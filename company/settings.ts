/**
 * Company settings (company_setting, company/migrations/0022_company_settings.sql): values the
 * processes read when they run, changed by an administrator without deploying a diagram again.
 *
 * The job type `company.setting` reads one: task headers `key` (the setting) and `variable` (the
 * variable to answer), e.g. the complaint diagram reads `complaint.max-reopenings` into
 * `companyMaxReopenings` before each check of the reopenings. An unknown key fails the job (an
 * incident naming it), never a guess.
 */
import type { JobHandler } from '../activities/jobs.js';
import type { Queryable } from '../db/keys.js';
import { ServiceError } from '../services/errors.js';

export const SETTING_JOB_TYPE = 'company.setting';

/** The settings there are, with the values each accepts. */
export const SETTINGS: Record<string, { check(value: unknown): string | null }> = {
  'complaint.max-reopenings': {
    check: (v) => (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 10 ? null : 'must be an integer 0-10'),
  },
};

export interface CompanySetting {
  key: string;
  value: unknown;
  name: string;
  updatedBy: string | null;
  updatedAt: string;
}

type Row = { key: string; value: unknown; name: string; updated_by: string | null; updated_at: Date };
const toSetting = (r: Row): CompanySetting => ({ key: r.key, value: r.value, name: r.name, updatedBy: r.updated_by, updatedAt: r.updated_at.toISOString() });

export async function listSettings(db: Queryable): Promise<CompanySetting[]> {
  const { rows } = await db.query<Row>('SELECT key, value, name, updated_by, updated_at FROM company_setting ORDER BY key');
  return rows.map(toSetting);
}

export async function putSetting(db: Queryable, key: string, value: unknown, username: string): Promise<CompanySetting> {
  const known = SETTINGS[key];
  if (!known) throw new ServiceError('NOT_FOUND', `公司设置不存在 / no company setting '${key}'; settings: ${Object.keys(SETTINGS).join(', ')}`);
  const problem = known.check(value);
  if (problem) throw new ServiceError('INVALID_ARGUMENT', `公司设置取值无效 / value of '${key}' ${problem}`);
  const { rows } = await db.query<Row>(
    'UPDATE company_setting SET value = $2::jsonb, updated_by = $3, updated_at = now() WHERE key = $1 RETURNING key, value, name, updated_by, updated_at',
    [key, JSON.stringify(value), username],
  );
  if (!rows[0]) throw new ServiceError('NOT_FOUND', `公司设置不存在 / no company setting '${key}' in the database`);
  return toSetting(rows[0]);
}

export function settingJobHandler(db: Queryable): JobHandler {
  return async (job) => {
    const key = job.headers['key']?.trim() ?? '';
    const variable = job.headers['variable']?.trim() ?? '';
    if (!key || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) {
      throw new Error(`${SETTING_JOB_TYPE} on ${job.elementId}: task headers 'key' (a company setting) and 'variable' (a variable name) are required`);
    }
    const { rows } = await db.query<{ value: unknown }>('SELECT value FROM company_setting WHERE key = $1', [key]);
    if (!rows[0]) throw new Error(`${SETTING_JOB_TYPE} on ${job.elementId}: no company setting '${key}'`);
    return { [variable]: rows[0].value };
  };
}
