/**
 * SLA policies as data: sets (the 2023 service commitments by default, the 2011 rules as a second
 * set), each policy versioned. A change adds a version that applies to clocks starting afterwards.
 */
import { durationProblem } from '../bpmn/iso8601.js';
import type pg from 'pg';
import type { Queryable } from '../db/keys.js';
import { inTransaction } from '../db/transaction.js';
import { ServiceError } from '../services/errors.js';
import { parseWarnings } from './compiler-extension.js';
import type { TimeBase } from '../worktime/calendar.js';

export interface PolicySet {
  key: string;
  name: string;
  isDefault: boolean;
  description: string;
}

export interface Policy {
  setKey: string;
  key: string;
  version: number;
  name: string;
  duration: string;
  timeBase: TimeBase;
  calendar: string | null;
  warnings: Array<{ at: number } | { before: string }>;
  createdBy: string | null;
  createdAt: string;
}

interface PolicyRow {
  set_key: string;
  key: string;
  version: number;
  name: string;
  duration: string;
  time_base: TimeBase;
  calendar_id: string | null;
  warnings: Policy['warnings'];
  created_by: string | null;
  created_at: Date;
}

const COLUMNS = 'set_key, key, version, name, duration, time_base, calendar_id, warnings, created_by, created_at';

function toPolicy(r: PolicyRow): Policy {
  return {
    setKey: r.set_key,
    key: r.key,
    version: r.version,
    name: r.name,
    duration: r.duration,
    timeBase: r.time_base,
    calendar: r.calendar_id,
    warnings: r.warnings,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
  };
}

export async function listPolicySets(db: Queryable): Promise<PolicySet[]> {
  const { rows } = await db.query<{ key: string; name: string; is_default: boolean; description: string }>(
    'SELECT key, name, is_default, description FROM sla_policy_set ORDER BY key',
  );
  return rows.map((r) => ({ key: r.key, name: r.name, isDefault: r.is_default, description: r.description }));
}

async function assertSet(db: Queryable, setKey: string): Promise<void> {
  const { rowCount } = await db.query('SELECT 1 FROM sla_policy_set WHERE key = $1', [setKey]);
  if (!rowCount) throw new ServiceError('NOT_FOUND', `SLA policy set '${setKey}' not found`);
}

/** Makes `setKey` the set in force for clocks that start from now on. */
export async function setDefaultPolicySet(pool: pg.Pool, setKey: string): Promise<PolicySet[]> {
  await assertSet(pool, setKey);
  await inTransaction(pool, async (client) => {
    await client.query('UPDATE sla_policy_set SET is_default = false WHERE is_default AND key <> $1', [setKey]);
    await client.query('UPDATE sla_policy_set SET is_default = true WHERE key = $1', [setKey]);
  });
  return listPolicySets(pool);
}

/** The latest version of every policy of a set (the default set when none is named). */
export async function listPolicies(db: Queryable, setKey?: string): Promise<Policy[]> {
  if (setKey) await assertSet(db, setKey);
  const { rows } = await db.query<PolicyRow>(
    `SELECT DISTINCT ON (key) ${COLUMNS} FROM sla_policy
      WHERE set_key = COALESCE($1, (SELECT key FROM sla_policy_set WHERE is_default))
      ORDER BY key, version DESC`,
    [setKey ?? null],
  );
  return rows.map(toPolicy);
}

export async function policyVersions(db: Queryable, setKey: string, key: string): Promise<Policy[]> {
  const { rows } = await db.query<PolicyRow>(`SELECT ${COLUMNS} FROM sla_policy WHERE set_key = $1 AND key = $2 ORDER BY version DESC`, [setKey, key]);
  if (rows.length === 0) throw new ServiceError('NOT_FOUND', `SLA policy '${key}' not found in set '${setKey}'`);
  return rows.map(toPolicy);
}

export interface PolicyChange {
  name: string;
  duration: string;
  timeBase: TimeBase;
  calendar?: string;
  /** "50%, 80%" or "PT2H" levels, as in the diagram's sla:limit. */
  warnings?: string;
}

/** Adds a version of a policy (or its first); clocks that start afterwards use it. */
export async function putPolicy(db: Queryable, setKey: string, key: string, change: PolicyChange, username: string): Promise<Policy> {
  await assertSet(db, setKey);
  if (!/^[a-z0-9][a-z0-9._-]{0,126}$/.test(key)) throw new ServiceError('INVALID_ARGUMENT', `'${key}' is not a policy key (lower-case letters, digits, '.', '_' and '-')`);
  const problem = durationProblem(change.duration);
  if (problem) throw new ServiceError('INVALID_ARGUMENT', `duration: ${problem}`);
  const calendar = change.timeBase === 'natural' ? null : (change.calendar ?? 'cn');
  if (calendar) {
    const { rowCount } = await db.query('SELECT 1 FROM calendar WHERE id = $1', [calendar]);
    if (!rowCount) throw new ServiceError('INVALID_ARGUMENT', `calendar: '${calendar}' does not exist`);
  }
  let warnings: Policy['warnings'] = [{ at: 0.5 }, { at: 0.8 }];
  if (change.warnings !== undefined) {
    let reason = '';
    const parsed = parseWarnings(change.warnings, (m) => (reason = m.message));
    if (!parsed) throw new ServiceError('INVALID_ARGUMENT', `warnings: ${reason}`);
    warnings = parsed;
  }
  const { rows } = await db.query<PolicyRow>(
    `INSERT INTO sla_policy (set_key, key, version, name, duration, time_base, calendar_id, warnings, created_by)
     VALUES ($1, $2, COALESCE((SELECT max(version) FROM sla_policy WHERE set_key = $1 AND key = $2), 0) + 1, $3, $4, $5, $6, $7, $8)
     RETURNING ${COLUMNS}`,
    [setKey, key, change.name, change.duration, change.timeBase, calendar, JSON.stringify(warnings), username],
  );
  return toPolicy(rows[0]!);
}

/**
 * The policy in force for a clock that starts now: the latest version in the chosen set (the
 * instance's, else the set in force); a key that set lacks comes from the set in force, then from
 * any other set (so switching to the 2011 rules keeps the 2023 own-steps totals defined).
 */
export async function resolvePolicy(db: Queryable, key: string, setKey?: string): Promise<Policy> {
  const { rows } = await db.query<PolicyRow>(
    `SELECT ${COLUMNS.split(', ').map((c) => `p.${c}`).join(', ')} FROM sla_policy p JOIN sla_policy_set s ON s.key = p.set_key
      WHERE p.key = $1
      ORDER BY (p.set_key = $2) DESC NULLS LAST, s.is_default DESC, p.set_key, p.version DESC LIMIT 1`,
    [key, setKey ?? null],
  );
  if (!rows[0]) throw new ServiceError('NOT_FOUND', `SLA policy '${key}' does not exist in any policy set`);
  return toPolicy(rows[0]);
}
