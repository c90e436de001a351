/**
 * What the compiler cannot check without the database: the policies, calendars and departments an
 * SLA names must exist when the diagram is deployed. Returns one problem per unknown reference, with
 * the element id, so the deployment is refused as the compiler refuses (422 with element ids).
 */
import type { ProcessModel, SlaLimit } from '../bpmn/model.js';
import type { Queryable } from '../db/keys.js';

export interface SlaProblem {
  elementId: string;
  elementType: string;
  message: string;
}

/** A literal as the compiler writes it ('"bx.site-visit"'); undefined for a FEEL expression. */
function literalString(expression: string | undefined): string | undefined {
  if (expression === undefined || !expression.startsWith('"')) return undefined;
  try {
    const v = JSON.parse(expression) as unknown;
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

export async function checkSlaReferences(db: Queryable, models: readonly ProcessModel[]): Promise<SlaProblem[]> {
  const uses: Array<{ elementId: string; elementType: string; limit: SlaLimit }> = [];
  for (const model of models) {
    for (const node of Object.values(model.nodes)) if (node.sla) uses.push({ elementId: node.id, elementType: `bpmn:${node.type[0]!.toUpperCase()}${node.type.slice(1)}`, limit: node.sla });
    for (const span of model.slaSpans) uses.push({ elementId: model.id, elementType: 'bpmn:Process', limit: span });
  }
  if (uses.length === 0) return [];
  const [policies, calendars, departments] = await Promise.all([
    db.query<{ key: string }>('SELECT DISTINCT key FROM sla_policy'),
    db.query<{ id: string }>('SELECT id FROM calendar'),
    db.query<{ id: string }>('SELECT id FROM department'),
  ]);
  const policySet = new Set(policies.rows.map((r) => r.key));
  const calendarSet = new Set(calendars.rows.map((r) => r.id));
  const departmentSet = new Set(departments.rows.map((r) => r.id));
  const problems: SlaProblem[] = [];
  for (const { elementId, elementType, limit } of uses) {
    const what = 'id' in limit ? `SLA span "${String(limit.id)}"` : 'SLA';
    const policy = literalString(limit.policy);
    if (policy !== undefined && !policySet.has(policy)) {
      problems.push({ elementId, elementType, message: `${what} names policy "${policy}", which no policy set has; add it (PUT /api/sla/policies/{set}/${policy}) or fix the key.` });
    }
    if (limit.calendar !== undefined && !calendarSet.has(limit.calendar)) {
      problems.push({ elementId, elementType, message: `${what} names calendar "${limit.calendar}", which does not exist (GET /api/calendars lists them).` });
    }
    const unknown = limit.departments.filter((d) => !departmentSet.has(d));
    if (unknown.length > 0) {
      problems.push({
        elementId,
        elementType,
        message: `${what} is the responsibility of ${unknown.map((d) => `"${d}"`).join(', ')}, which ${unknown.length > 1 ? 'are not departments' : 'is not a department'}; use department ids (GET /api/departments).`,
      });
    }
  }
  return problems;
}
