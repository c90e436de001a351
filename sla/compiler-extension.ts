/**
 * The SLA module's part of the BPMN compiler: <sla:limit> on tasks, subprocesses and call activities,
 * <sla:span> on the process (a limit over several steps, with pauses). Checks what can be checked
 * without the database (syntax, element references, a responsible department); policies, calendars
 * and department ids are checked against PostgreSQL at deployment (sla/deploy-check.ts).
 */
import type { CompilerExtension } from '../bpmn/extension.js';
import { classify, feelSyntaxError, stringLiteral } from '../bpmn/feel.js';
import { durationProblem, durationReason, type Reason } from '../bpmn/iso8601.js';
import { msg, type CodedMessage, type LabelCode } from '../bpmn/messages.js';
import { str, type El } from '../bpmn/moddle.js';
import type { FlowNode, Lane, SlaLimit, SlaSpan, SlaWarning } from '../bpmn/model.js';
import descriptor from './moddle.json' with { type: 'json' };

export const SLA_PREFIX = 'sla';
const KEY = /^[a-z0-9][a-z0-9._-]{0,126}$/;
const ID = /^[A-Za-z_][\w.-]{0,127}$/;
const TIME_BASES = ['natural', 'workingDays', 'workingHours'] as const;
/** Default warning levels of an explicit duration: half and four fifths of the limit used. */
export const DEFAULT_WARNINGS: SlaWarning[] = [{ at: 0.5 }, { at: 0.8 }];
const DEFAULT_CALENDAR = 'cn';
const MAX_WARNINGS = 5;

type Report = (m: CodedMessage) => void;

function feelOrLiteral(raw: string | undefined, label: LabelCode, report: Report, checkLiteral: (v: string) => Reason | undefined): string | undefined {
  const attr = classify(raw);
  if (attr.kind === 'absent') return undefined;
  if (attr.kind === 'expression') {
    const error = feelSyntaxError(attr.source);
    if (error) report(msg('bpmn.value.invalidFeel', { label, source: attr.source, error }));
    return error ? undefined : attr.source;
  }
  const reason = checkLiteral(attr.value);
  if (reason) report(msg('bpmn.value.invalid', { ...reason, label }));
  return reason ? undefined : stringLiteral(attr.value);
}

/** "50%, 80%, PT2H" → fractions of the limit and times before the due instant. */
export function parseWarnings(raw: string, report: Report): SlaWarning[] | undefined {
  const parts = raw.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  if (parts.length > MAX_WARNINGS) {
    report(msg('sla.warnings.tooMany', { raw, count: parts.length, max: MAX_WARNINGS }));
    return undefined;
  }
  const out: SlaWarning[] = [];
  for (const p of parts) {
    const pct = /^(\d{1,2}(?:\.\d{1,2})?)%$/.exec(p);
    if (pct && Number(pct[1]) > 0) out.push({ at: Number(pct[1]) / 100 });
    else if (durationProblem(p) === undefined) out.push({ before: p });
    else {
      report(msg('sla.warnings.level', { level: p }));
      return undefined;
    }
  }
  return out;
}

function departmentsOf(raw: string | undefined): string[] {
  return (raw ?? '').split(/[\s,]+/).filter((d) => d.length > 0);
}

/** The attributes a limit and a span share. Undefined when a problem was reported. */
function readLimit(el: El, report: Report): SlaLimit | undefined {
  let ok = true;
  const r: Report = (m) => {
    ok = false;
    report(m);
  };
  const policy = feelOrLiteral(str(el, 'policy'), 'label.slaPolicy', r, (v) => (KEY.test(v) ? undefined : { reason: 'reason.policyKey', value: v }));
  const duration = feelOrLiteral(str(el, 'duration'), 'label.slaDuration', r, (v) => durationReason(v));
  if (ok && (policy === undefined) === (duration === undefined)) {
    r(msg('sla.policyOrDuration'));
  }
  const timeBaseRaw = str(el, 'timeBase');
  let timeBase: SlaLimit['timeBase'];
  if (timeBaseRaw !== undefined) {
    if (!(TIME_BASES as readonly string[]).includes(timeBaseRaw)) r(msg('sla.timeBase', { value: timeBaseRaw, allowed: TIME_BASES.join(', ') }));
    else if (policy !== undefined) r(msg('sla.timeBase.withPolicy'));
    else timeBase = timeBaseRaw as SlaLimit['timeBase'];
  }
  const warningsRaw = str(el, 'warnings');
  let warnings: SlaWarning[] | undefined;
  if (warningsRaw !== undefined) {
    if (policy !== undefined) r(msg('sla.warnings.withPolicy'));
    else warnings = parseWarnings(warningsRaw, r);
  }
  const calendar = str(el, 'calendar');
  if (calendar !== undefined && !KEY.test(calendar)) r(msg('sla.calendar', { value: calendar }));
  if (!ok) return undefined;
  const base = duration !== undefined ? (timeBase ?? 'natural') : undefined;
  return {
    ...(policy !== undefined ? { policy } : {}),
    ...(duration !== undefined ? { duration, timeBase: base, warnings: warnings ?? DEFAULT_WARNINGS } : {}),
    ...(calendar !== undefined ? { calendar } : base && base !== 'natural' ? { calendar: DEFAULT_CALENDAR } : {}),
    departments: departmentsOf(str(el, 'departments')),
  };
}

/** Static candidate groups of a user task ('["a","b"]' as the compiler writes them), else none. */
function staticGroups(node: FlowNode): string[] {
  if (node.type !== 'userTask' || !node.candidateGroups) return [];
  try {
    const v = JSON.parse(node.candidateGroups) as unknown;
    if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
    if (typeof v === 'string') return departmentsOf(v);
  } catch {
    return []; // a FEEL expression: resolved when the task is created
  }
  return [];
}

/** Responsible departments: the diagram's, else the task's static candidate groups, else its lane's. */
function responsible(node: FlowNode, lanes: readonly Lane[]): string[] {
  if (node.sla?.departments.length) return node.sla.departments;
  const groups = staticGroups(node);
  if (groups.length > 0) return groups;
  // Groups chosen by FEEL (the area's supply station): the groups the task gets at run time
  // (workflows/engine/sla-clocks.ts), not its lane's name.
  if (isDynamicGroups(node)) return [];
  const lane = lanes.find((l) => l.id === node.laneId);
  return lane?.candidateGroup ? [lane.candidateGroup] : [];
}

const isDynamicGroups = (node: FlowNode) => node.type === 'userTask' && node.candidateGroups !== undefined && staticGroups(node).length === 0;

export const slaCompilerExtension: CompilerExtension = {
  prefix: SLA_PREFIX,
  descriptor: descriptor as unknown as Record<string, unknown>,

  applyToNode({ element, node, extensions, report }) {
    const limits = extensions.filter((x) => x.$type === 'sla:Limit');
    for (const other of extensions) if (other.$type !== 'sla:Limit') report(msg('sla.onProcessOnly', { type: other.$type }));
    if (limits.length === 0) return;
    if (limits.length > 1) return report(msg('sla.limit.oneOnly'));
    if (!['userTask', 'serviceTask', 'sendTask', 'receiveTask', 'scriptTask', 'manualTask', 'task', 'subProcess', 'callActivity'].includes(node.type)) {
      return report(msg('sla.limit.notActivity', { type: element.$type }));
    }
    const limit = readLimit(limits[0]!, report);
    if (limit) node.sla = limit;
  },

  applyToProcess({ element, nodes, lanes, extensions, report }) {
    const here = (m: CodedMessage) => report(element.id ?? '', 'bpmn:Process', m);
    // Every limit on an element gets its responsible departments now that lanes are known.
    for (const node of Object.values(nodes)) {
      if (!node.sla) continue;
      node.sla.departments = responsible(node, lanes);
      if (node.sla.departments.length === 0 && !isDynamicGroups(node)) {
        report(node.id, 'bpmn:FlowNode', msg('sla.limit.noDepartment'));
      }
    }
    const spans: SlaSpan[] = [];
    const ids = new Set<string>();
    for (const x of extensions) {
      if (x.$type !== 'sla:Span') {
        here(msg('sla.onActivityOnly', { type: x.$type }));
        continue;
      }
      const id = str(x, 'id');
      const spanLabel = `label.slaSpan:${id ?? '?'}`;
      const spanReport = (m: CodedMessage) => here(msg('sla.span.problem', { ...m.params, spanLabel, innerLabel: m.code }));
      if (!id || !ID.test(id)) {
        spanReport(msg('sla.span.needsId'));
        continue;
      }
      if (ids.has(id)) spanReport(msg('sla.span.idTwice'));
      ids.add(id);
      const limit = readLimit(x, spanReport);
      const from = str(x, 'from');
      const to = str(x, 'to');
      const pauseDuring = departmentsOf(str(x, 'pauseDuring'));
      for (const [what, ref] of [['from', from], ['to', to], ...pauseDuring.map((p) => ['pauseDuring', p] as const)] as const) {
        if (!ref) spanReport(msg('sla.span.noElement', { attr: what }));
        else if (!nodes[ref]) spanReport(msg('sla.span.unknownElement', { attr: what, ref }));
      }
      if (!limit || !from || !to || !nodes[from] || !nodes[to] || pauseDuring.some((p) => !nodes[p])) continue;
      const departments = limit.departments.length > 0 ? limit.departments : responsible(nodes[from], lanes);
      if (departments.length === 0) spanReport(msg('sla.span.noDepartment'));
      const name = str(x, 'name');
      spans.push({ ...limit, departments, id, ...(name ? { name } : {}), from, to, pauseDuring });
    }
    return spans.length > 0 ? { slaSpans: spans } : {};
  },
};

/** What the compile threads import (bpmn/compile-pool.ts names extensions by module URL). */
export const compilerExtension = slaCompilerExtension;
export const SLA_COMPILER_EXTENSION_MODULE = import.meta.url;
