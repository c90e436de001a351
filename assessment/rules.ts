/**
 * Assessment rules as data (table assessment_rule_version, migration 0017): points per breach, points
 * per step of shortfall of a target rate, caps per month. Versioned: a new version is in force from
 * its valid_from on, never earlier than the moment it is added, so a month that is over keeps the
 * rules it was scored by. Which version scores what (README, "Supervision and assessment"):
 * - each breach by the version in force at the breach's instant (sla_event.at);
 * - rate shortfalls and the caps by the version in force at the end of the month.
 */
import { z } from 'zod';
import type { Queryable } from '../db/keys.js';
import { ServiceError } from '../services/errors.js';

export const RATE_INDICATORS = ['onTime', 'firstTime', 'satisfaction', 'bxCompliance'] as const;
export type RateIndicator = (typeof RATE_INDICATORS)[number];

const Points = z.number().min(0).max(100);
/** A target rate (fraction 0..1): `points` for each whole `step` (0.001 = 0.1 %) the rate falls short. */
const RateRule = z.object({ target: z.number().min(0).max(1), step: z.number().min(0.0001).max(1), points: Points }).strict();

export const RulesSchema = z
  .object({
    /**
     * Points per breached clock: the first entry whose given fields all match the breach (process =
     * bpmnProcessId, kind = 'element' | 'span', element = element id of the clock, severity = the
     * case's variable `severity`, e.g. a complaint's general / important / major) decides; no match: 0.
     */
    breachPoints: z
      .array(
        z
          .object({
            process: z.string().min(1).max(200).optional(),
            kind: z.enum(['element', 'span']).optional(),
            element: z.string().min(1).max(200).optional(),
            severity: z.string().min(1).max(64).optional(),
            points: Points,
          })
          .strict(),
      )
      .max(50),
    rates: z
      .object({
        onTime: RateRule.optional(),
        firstTime: RateRule.optional(),
        satisfaction: RateRule.optional(),
        bxCompliance: RateRule.optional(),
        /** Complaints per thousand customers above `max`: `points` for each whole `step` (‰) over. */
        complaintsPerThousand: z.object({ max: z.number().min(0).max(1000), step: z.number().min(0.001).max(1000), points: Points }).strict().optional(),
      })
      .strict(),
    /** Most points a month deducts for breaches, for rate shortfalls, and in all. */
    caps: z.object({ breaches: Points.optional(), rates: Points.optional(), total: Points.optional() }).strict(),
  })
  .strict();
export type Rules = z.infer<typeof RulesSchema>;

export interface RuleVersion {
  version: number;
  validFrom: string;
  rules: Rules;
  comment: string | null;
  createdBy: string;
  createdAt: string;
}

interface Row {
  version: number;
  valid_from: Date;
  rules: Rules;
  comment: string | null;
  created_by: string;
  created_at: Date;
}
const toVersion = (r: Row): RuleVersion => ({
  version: r.version,
  validFrom: r.valid_from.toISOString(),
  rules: r.rules,
  comment: r.comment,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
});

/** Every version, oldest first. */
export async function listRuleVersions(db: Queryable): Promise<RuleVersion[]> {
  const { rows } = await db.query<Row>('SELECT * FROM assessment_rule_version ORDER BY valid_from, version');
  return rows.map(toVersion);
}

/**
 * The versions in order of valid_from, for finding the one in force at an instant without asking the
 * database again: `inForce(versions, at)`.
 */
export function inForce(versions: readonly RuleVersion[], at: Date): RuleVersion {
  let found: RuleVersion | undefined;
  for (const v of versions) {
    if (Date.parse(v.validFrom) > at.getTime()) continue;
    if (!found || Date.parse(v.validFrom) > Date.parse(found.validFrom) || (v.validFrom === found.validFrom && v.version > found.version)) found = v;
  }
  if (!found) throw new ServiceError('NOT_FOUND', `没有在 ${at.toISOString()} 生效的考核规则 / no assessment rules in force at ${at.toISOString()}`);
  return found;
}

/**
 * Adds a version. validFrom defaults to now; one before now is refused (a past month keeps its rules).
 * `now` is injectable for tests.
 */
export async function addRuleVersion(
  db: Queryable,
  username: string,
  input: { rules: Rules; validFrom?: string | undefined; comment?: string | undefined },
  now: Date = new Date(),
): Promise<RuleVersion> {
  const rules = RulesSchema.parse(input.rules);
  let validFrom = now;
  if (input.validFrom !== undefined) {
    const t = Date.parse(input.validFrom);
    if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/.test(input.validFrom)) {
      throw new ServiceError('INVALID_ARGUMENT', `validFrom: ${JSON.stringify(input.validFrom)} 不是带时区的时间 / is not an ISO 8601 date-time with offset`);
    }
    if (t < now.getTime() - 60_000) {
      throw new ServiceError(
        'INVALID_ARGUMENT',
        `validFrom: ${input.validFrom} 已过去；规则不能追溯 / is in the past; rules never apply retroactively (a past month keeps the rules it was scored by)`,
      );
    }
    validFrom = new Date(t);
  }
  const { rows } = await db.query<Row>(
    'INSERT INTO assessment_rule_version (valid_from, rules, comment, created_by) VALUES ($1, $2, $3, $4) RETURNING *',
    [validFrom, JSON.stringify(rules), input.comment ?? null, username],
  );
  return toVersion(rows[0]!);
}

/** Points of one breach under `rules` (first matching entry; none: 0). */
export function breachPoints(rules: Rules, breach: { bpmnProcessId: string; kind: string; elementId: string; severity: string | null }): number {
  const rule = rules.breachPoints.find(
    (r) =>
      (r.process === undefined || r.process === breach.bpmnProcessId) &&
      (r.kind === undefined || r.kind === breach.kind) &&
      (r.element === undefined || r.element === breach.elementId) &&
      (r.severity === undefined || r.severity === breach.severity),
  );
  return rule?.points ?? 0;
}
