/**
 * What the compiler cannot check without the database: the policies, calendars and departments an
 * SLA names must exist when the diagram is deployed. Returns one problem per unknown reference, with
 * the element id, so the deployment is refused as the compiler refuses (422 with element ids).
 */
import { msg, type MessageParams } from '../bpmn/messages.js';
import type { ProcessModel, SlaLimit } from '../bpmn/model.js';
import type { Queryable } from '../db/keys.js';

export interface SlaProblem {
  elementId: string;
  elementType: string;
  message: string;
  /** Code and params in the catalogue bpmn/messages.ts (message is its English rendering). */
  code: string;
  params: MessageParams;
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
    const label = 'id' in limit ? `label.slaSpan:${String(limit.id)}` : 'label.sla';
    const policy = literalString(limit.policy);
    if (policy !== undefined && !policySet.has(policy)) {
      problems.push({ elementId, elementType, ...msg('sla.unknownPolicy', { label, policy, set: '{set}' }) });
    }
    if (limit.calendar !== undefined && !calendarSet.has(limit.calendar)) {
      problems.push({ elementId, elementType, ...msg('sla.unknownCalendar', { label, calendar: limit.calendar }) });
    }
    const unknown = limit.departments.filter((d) => !departmentSet.has(d));
    if (unknown.length > 0) {
      const departments = unknown.map((d) => `"${d}"`).join(', ');
      problems.push({ elementId, elementType, ...msg(unknown.length > 1 ? 'sla.unknownDepartments' : 'sla.unknownDepartment', { label, departments }) });
    }
  }
  return problems;
}
