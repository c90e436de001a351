/**
 * Live linting as the designer draws (bpmn-js-bpmnlint): the Camunda 8.8 compatibility rules of
 * bpmnlint-plugin-camunda-compat plus our own rules (a local plugin "gongdian"):
 * - unsupported-element: what our compiler refuses (mirrors REFUSED in bpmn/transform/containers.ts and
 *   bpmn/transform/event-definitions.ts; the compiler stays the judge at deployment);
 * - user-task-assignment: a user task offered to nobody (no assignee, no candidate group, no lane);
 * - candidate-group-department: a candidate group that is not a department id (the list is fed at
 *   run time from GET /api/departments);
 * - customer-facing-sla: a user task in a lane or pool without a service time limit (SLA).
 *
 * bpmnlint configs are normally compiled by a bundler plugin; here the config and its resolver are
 * built by hand: the plugin's configs from its index, its rule files through import.meta.glob.
 */
import camundaCompat from 'bpmnlint-plugin-camunda-compat';
import startEventRequired from 'bpmnlint/rules/start-event-required';
import { language, messages } from '../../text.js';
import { lintMessageZh } from './lint-zh.js';

export const lx = messages({
  unsupported: ['本平台不支持{0}', '{0} is not supported by this platform'],
  unsupportedEvent: ['本平台不支持{0}', '{0} are not supported by this platform'],
  noAssignment: ['用户任务没有处理人、候选组，也不在泳道中：任务不会分配给任何人', 'User task has no assignee, no candidate group and no lane: it would be offered to nobody'],
  notDepartment: ['候选组“{0}”不是部门编号（应为部门 id，而不是名称）', 'Candidate group "{0}" is not a department id (a department id, not its name)'],
  noSla: ['面向客户的环节没有设置服务时限 (SLA)', 'Customer-facing step without a service time limit (SLA)'],
});

const REFUSED_TYPES: Record<string, readonly [string, string]> = {
  'bpmn:BusinessRuleTask': ['业务规则 (DMN) 任务', 'DMN business rule tasks'],
  'bpmn:ComplexGateway': ['复杂网关', 'Complex gateways'],
  'bpmn:Transaction': ['事务子流程', 'Transaction subprocesses'],
  'bpmn:AdHocSubProcess': ['自由子流程', 'Ad-hoc subprocesses'],
  'bpmn:ImplicitThrowEvent': ['隐式抛出事件', 'Implicit throw events'],
};
const REFUSED_EVENTS: Record<string, readonly [string, string]> = {
  'bpmn:CompensateEventDefinition': ['补偿事件', 'Compensation events'],
  'bpmn:ConditionalEventDefinition': ['条件事件', 'Conditional events'],
  'bpmn:CancelEventDefinition': ['取消事件', 'Cancel events'],
};

interface Node {
  id: string;
  $type: string;
  $parent?: Node;
  get(name: string): unknown;
  extensionElements?: { values?: Node[] };
  eventDefinitions?: Node[];
  [key: string]: unknown;
}
interface Reporter {
  report(id: string, message: string): void;
}

const is = (node: Node, type: string) => node.$type === type;
const ext = (node: Node, type: string) => (node.extensionElements?.values ?? []).filter((v) => v.$type === type);
const lang = (pair: readonly [string, string]) => (language() === 'en' ? pair[1] : pair[0]);

/** The departments known to the app (ids); empty until loaded, and then the rule stays quiet. */
const departments = { ids: new Set<string>() };
export function setKnownDepartments(ids: string[]): void {
  departments.ids = new Set(ids);
}

/** The process a flow node belongs to (through subprocesses). */
function processOf(node: Node): Node | undefined {
  let p = node.$parent;
  while (p && !is(p, 'bpmn:Process')) p = p.$parent;
  return p;
}

/** Whether the node is referenced by a lane of its process (or a subprocess in one). */
function inLane(node: Node): boolean {
  const process = processOf(node);
  if (!process) return false;
  const refs = new Set<string>();
  const visit = (laneSets: Node[] | undefined) => {
    for (const set of laneSets ?? []) {
      for (const lane of (set.get('lanes') as Node[] | undefined) ?? []) {
        for (const ref of (lane.get('flowNodeRef') as Node[] | undefined) ?? []) refs.add(ref.id);
        const child = lane.get('childLaneSet') as Node | undefined;
        if (child) visit([child]);
      }
    }
  };
  visit(process.get('laneSets') as Node[] | undefined);
  let n: Node | undefined = node;
  while (n && n !== process) {
    if (refs.has(n.id)) return true;
    n = n.$parent;
  }
  return false;
}

/** Whether the process of the node is a pool (a participant of a collaboration refers to it). */
function inPool(node: Node): boolean {
  const process = processOf(node);
  const definitions = process?.$parent;
  if (!process || !definitions) return false;
  const roots = (definitions.get('rootElements') as Node[] | undefined) ?? [];
  return roots.some((r) => is(r, 'bpmn:Collaboration') && ((r.get('participants') as Node[] | undefined) ?? []).some((p) => p.get('processRef') === process));
}

function assignment(node: Node): { assignee?: string; candidateGroups?: string } {
  const def = ext(node, 'zeebe:AssignmentDefinition')[0];
  return { assignee: (def?.get('assignee') as string | undefined)?.trim() || undefined, candidateGroups: (def?.get('candidateGroups') as string | undefined)?.trim() || undefined };
}

const unsupportedElement = () => ({
  check(node: Node, reporter: Reporter) {
    const type = REFUSED_TYPES[node.$type];
    if (type) reporter.report(node.id, lx('unsupported', lang(type)));
    for (const def of node.eventDefinitions ?? []) {
      const refused = REFUSED_EVENTS[def.$type];
      if (refused) reporter.report(node.id, lx('unsupportedEvent', lang(refused)));
    }
  },
});

const userTaskAssignment = () => ({
  check(node: Node, reporter: Reporter) {
    if (!is(node, 'bpmn:UserTask')) return;
    const a = assignment(node);
    if (!a.assignee && !a.candidateGroups && !inLane(node)) reporter.report(node.id, lx('noAssignment'));
  },
});

const candidateGroupDepartment = () => ({
  check(node: Node, reporter: Reporter) {
    if (!is(node, 'bpmn:UserTask') || departments.ids.size === 0) return;
    const groups = assignment(node).candidateGroups;
    if (!groups || groups.startsWith('=')) return;
    for (const g of groups.split(',').map((s) => s.trim()).filter(Boolean)) {
      if (!departments.ids.has(g)) reporter.report(node.id, lx('notDepartment', g));
    }
  },
});

/** Elements that start or end an SLA span of the process count as covered. */
function inSpan(node: Node): boolean {
  const process = processOf(node);
  if (!process) return false;
  return ext(process, 'sla:Span').some((s) => s.get('from') === node.id || s.get('to') === node.id);
}

const customerFacingSla = () => ({
  check(node: Node, reporter: Reporter) {
    if (!is(node, 'bpmn:UserTask')) return;
    if (!inLane(node) && !inPool(node)) return;
    if (ext(node, 'sla:Limit').length > 0 || inSpan(node)) return;
    reporter.report(node.id, lx('noSla'));
  },
});

const OUR_RULES: Record<string, () => unknown> = {
  'unsupported-element': unsupportedElement,
  'user-task-assignment': userTaskAssignment,
  'candidate-group-department': candidateGroupDepartment,
  'customer-facing-sla': customerFacingSla,
};

// The plugin's rule files (CommonJS), keyed by their path; a rule directory's file is index.js.
const compatRules = import.meta.glob('../../../../node_modules/bpmnlint-plugin-camunda-compat/rules/camunda-cloud/**/*.js', { eager: true, import: 'default' }) as Record<string, () => unknown>;

function compatRule(name: string): (() => unknown) | undefined {
  const path = (camundaCompat as { rules: Record<string, string> }).rules[name];
  if (!path) return undefined;
  const base = `../../../../node_modules/bpmnlint-plugin-camunda-compat/${path.replace(/^\.\//, '')}`;
  const rule = compatRules[`${base}.js`] ?? compatRules[`${base}/index.js`];
  return rule ? inChinese(rule) : undefined;
}

type Check = (node: unknown, reporter: Reporter) => void;
interface RuleDefinition {
  check: Check | { enter?: Check; leave?: Check };
}

/**
 * A rule of another package whose messages are said in Chinese (lint-zh.ts) when the user's
 * language is Chinese: its reporter is wrapped, so the list and the canvas overlays both get them.
 */
function inChinese(factory: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  return (...args) => {
    const rule = factory(...args) as RuleDefinition;
    const wrap = (check: Check | undefined): Check | undefined =>
      check &&
      ((node, reporter) => {
        const zh = Object.create(reporter) as Reporter & { report(id: string, message: string, ...rest: unknown[]): void };
        zh.report = (id: string, message: string, ...rest: unknown[]) =>
          (reporter.report as (id: string, message: string, ...rest: unknown[]) => void).call(reporter, id, language() === 'en' ? message : lintMessageZh(message), ...rest);
        check(node, zh);
      });
    const check = rule.check;
    return { ...rule, check: typeof check === 'function' ? wrap(check) : { enter: wrap(check.enter), leave: wrap(check.leave) } };
  };
}

const resolver = {
  resolveRule(pkg: string, ruleName: string) {
    if (pkg === 'bpmnlint-plugin-gongdian') return OUR_RULES[ruleName];
    if (pkg === 'bpmnlint-plugin-camunda-compat') return compatRule(ruleName);
    if (pkg === 'bpmnlint' && ruleName === 'start-event-required') return inChinese(startEventRequired as (...args: unknown[]) => unknown);
    return undefined;
  },
  resolveConfig(pkg: string, configName: string) {
    if (pkg === 'bpmnlint-plugin-camunda-compat') return (camundaCompat as { configs: Record<string, unknown> }).configs[configName];
    return undefined;
  },
};

export const CAMUNDA_VERSION = '8.8';

/** The `linting.bpmnlint` config of bpmn-js-bpmnlint. */
export const bpmnlintConfig = {
  config: {
    extends: [`plugin:camunda-compat/camunda-cloud-${CAMUNDA_VERSION.replace('.', '-')}`],
    rules: {
      'gongdian/unsupported-element': 'error',
      'gongdian/user-task-assignment': 'warn',
      'gongdian/candidate-group-department': 'error',
      'gongdian/customer-facing-sla': 'warn',
    },
  },
  resolver,
};
