/**
 * SLA clocks inside the interpreter (README, "Service-time limits (SLA)"): a clock starts when its
 * element (or span) starts, pauses and resumes as the diagram says, and stops when the element ends or
 * is terminated. Its due instant and warning instants are computed once, when it starts or resumes,
 * with the deterministic arithmetic of sla/clock.ts on calendar data that came in through an activity;
 * they live in the engine state, so replay and continue-as-new keep them. Warnings and the breach fire
 * as timers (Interpreter.fireTimers). Every transition is an engine event of type 'SLA', projected to
 * PostgreSQL with the others (sla_record_events), and the clock is readable by the diagram:
 *   - `sla` in the element's scope while it runs, and in its flow scope after it ended;
 *   - `slaSpans.<spanId>` on the process for a span.
 *
 * A limit given as a natural-time duration starts at once. A policy or a working-time limit needs the
 * database: the element waits in ACTIVATING (wait 'clock') until the workflow brings the resolution
 * back (with the next projection), so that boundary events can already read `sla.dueAt`.
 */
import type { FlowNode, ProcessModel, SlaLimit, SlaSpan, SlaWarning } from '../../bpmn/model.js';
import { Calendar } from '../../worktime/calendar.js';
import { planClock, resolveLimit, usedBetween } from '../../worktime/clock.js';
import type {
  ClockRequest,
  ClockResolution,
  ClockState,
  SlaStartRecord,
  ElementInstance,
  ElementState,
  ResolvedLimit,
  SlaState,
  SlaTransition,
  Variables,
} from '../types.js';
import type { Engine } from './engine.js';
import { SlaFailure } from './errors.js';
import { evalString, evalStringList } from './feel.js';

/** The variable through which a diagram reads an element's clock. */
export const SLA_VARIABLE = 'sla';
/** The process variable holding the spans' clocks, by span id. */
export const SPANS_VARIABLE = 'slaSpans';

/** An element's or span's limit, evaluated in its scope, not yet resolved against the database. */
interface Spec {
  policy?: string;
  policySet?: string;
  duration?: string;
  timeBase: ResolvedLimit['timeBase'];
  calendarId?: string;
  warnings: SlaWarning[];
}

type OpenClock = ClockState & { spec?: Spec };

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Whether a diagram states any limit (only then does an instance ask for clocks and mark its history). */
export function modelHasLimits(model: ProcessModel): boolean {
  return (model.slaSpans?.length ?? 0) > 0 || Object.values(model.nodes).some((n) => n.sla !== undefined);
}

export class SlaClocks {
  private pending: ClockRequest[] = [];
  private readonly spanFrom = new Map<string, SlaSpan[]>();
  private readonly spanTo = new Map<string, SlaSpan[]>();
  private readonly spanPause = new Map<string, SlaSpan[]>();
  private readonly calendars = new Map<string, Calendar>();
  /** Elements whose own expressions or boundary events read `sla`: they wait for their clock. */
  private readonly readers = new Set<string>();
  /** The diagram has limits and this instance runs clocks (the workflow's patch check). */
  readonly active: boolean;

  constructor(
    private readonly e: Engine,
    enabled: boolean,
  ) {
    const spans = e.model.slaSpans ?? [];
    const add = (map: Map<string, SlaSpan[]>, id: string, span: SlaSpan) => map.set(id, [...(map.get(id) ?? []), span]);
    for (const span of spans) {
      add(this.spanFrom, span.from, span);
      add(this.spanTo, span.to, span);
      for (const p of span.pauseDuring) add(this.spanPause, p, span);
    }
    this.active = enabled && modelHasLimits(e.model);
    if (!this.active) return;
    const mentionsSla = (v: unknown) => /(^|[^\w.])sla\b/.test(JSON.stringify(v) ?? '');
    for (const node of Object.values(e.model.nodes)) {
      if (!node.sla) continue;
      const { sla: _limit, io: _io, ...own } = node; // input mappings run before the clock, outputs after it
      const boundaries = Object.values(e.model.nodes).filter((n) => n.type === 'boundaryEvent' && 'attachedToRef' in n && n.attachedToRef === node.id);
      if (mentionsSla(own) || boundaries.some(mentionsSla)) this.readers.add(node.id);
    }
  }

  private get state(): SlaState {
    return (this.e.state.sla ??= { clocks: {}, calendars: {} });
  }

  private clock(key: string): OpenClock | undefined {
    return this.e.state.sla?.clocks[key] as OpenClock | undefined;
  }

  /** Clock requests for the resolving activity; the workflow sends them with the next projection. */
  takeRequests(): ClockRequest[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }

  /** Requests that could not be sent (their batch was refused) go out with the next one. */
  requeue(requests: ClockRequest[]): void {
    this.pending.unshift(...requests);
  }

  // ------------------------------------------------------------------------------ element clocks

  /**
   * Called when an element has entered (after its input mappings): starts its clock. Returns false
   * when the element must wait for the clock's resolution (Interpreter.clocksResolved goes on).
   * Throws an ElementFailure for a limit that cannot be evaluated (an incident on the element).
   */
  beforeActive(inst: ElementInstance, node: FlowNode): boolean {
    if (!this.active || !node.sla || inst.elementType === 'multiInstanceBody') return true;
    if (node.multiInstance && inst.loopCounter !== undefined) return true; // the body has the clock
    const existing = this.clock(inst.key);
    if (existing && existing.status !== 'resolving') return true; // entered again after an incident
    if (!inst.hasScope) {
      inst.hasScope = true;
      this.e.state.variables[inst.key] ??= {};
    }
    const spec = this.evaluate(node.sla, this.e.context(inst.key));
    const clock = this.open('element', inst.key, inst, this.departmentsOf(inst, node), spec);
    // A step that does not read `sla` goes on at once; its clock starts when the resolution comes back.
    if (this.startNow(clock, spec) || !this.readers.has(node.id)) return true;
    inst.waits.push({ kind: 'clock' });
    return false;
  }

  /**
   * The limit's responsible departments; for a user task whose candidate groups are FEEL (routing
   * by area or by the hub's choice) and a limit that names none, the groups this task gets.
   */
  private departmentsOf(inst: ElementInstance, node: FlowNode): string[] {
    if (node.sla!.departments.length > 0 || node.type !== 'userTask' || !node.candidateGroups) return node.sla!.departments;
    try {
      return evalStringList(node.candidateGroups, this.e.context(inst.key), 'candidate groups');
    } catch {
      return []; // the task's activation reports the expression's problem as an incident
    }
  }

  /** A multi-instance body's clock starts without holding the body (its inner instances run meanwhile). */
  private startBody(inst: ElementInstance, node: FlowNode): void {
    if (!node.sla || this.clock(inst.key)) return;
    let spec: Spec;
    try {
      spec = this.evaluate(node.sla, this.e.context(inst.key));
    } catch (err) {
      this.e.raiseIncident(inst, 'SLA_ERROR', `SLA of ${node.id}: ${messageOf(err)}`, 'acknowledge');
      return;
    }
    this.startNow(this.open('element', inst.key, inst, node.sla.departments, spec), spec);
  }

  // ------------------------------------------------------------------------------ lifecycle hook

  /** Every element transition passes here (Engine.transition). */
  onTransition(inst: ElementInstance, state: ElementState): void {
    if (!this.active) return;
    const node = this.e.model.nodes[inst.elementId];
    const inner = node?.multiInstance !== undefined && inst.loopCounter !== undefined && inst.elementType !== 'multiInstanceBody';
    switch (state) {
      case 'ACTIVATING':
        if (inner) return;
        for (const span of this.spanFrom.get(inst.elementId) ?? []) this.startSpan(span, inst);
        for (const span of this.spanPause.get(inst.elementId) ?? []) this.pauseSpan(span, inst.key);
        return;
      case 'ACTIVE':
        if (inst.elementType === 'multiInstanceBody' && node) this.startBody(inst, node);
        return;
      case 'COMPLETING':
        this.endElement(inst, false);
        return;
      case 'COMPLETED':
        this.endElement(inst, false);
        if (inst.elementType === 'process') return this.cancelSpans();
        if (inner) return;
        for (const span of this.spanTo.get(inst.elementId) ?? []) this.endSpan(span.id, false);
        for (const span of this.spanPause.get(inst.elementId) ?? []) this.resumeSpan(span, inst.key);
        return;
      case 'TERMINATED':
        this.endElement(inst, true);
        if (inst.elementType === 'process') return this.cancelSpans();
        if (inner) return;
        for (const span of this.spanPause.get(inst.elementId) ?? []) this.resumeSpan(span, inst.key);
        return;
      default:
        return;
    }
  }

  private endElement(inst: ElementInstance, terminated: boolean): void {
    const clock = this.clock(inst.key);
    if (clock?.kind !== 'element') return;
    if (clock.status === 'resolving' && !clock.limit) {
      delete this.state.clocks[clock.key]; // never started: nothing to record
      return;
    }
    const final = this.stop(clock, terminated ? 'CANCELLED' : clock.breached ? 'LATE' : 'MET');
    if (terminated) return;
    // The element's scope still exists at COMPLETING (output mappings read `sla`); its flow scope keeps
    // the final state for what follows (a gateway routing on `sla.breached`).
    if (this.e.state.variables[inst.key]) this.e.setLocal(inst.key, SLA_VARIABLE, final);
    if (inst.flowScopeKey && this.e.state.instances[inst.flowScopeKey]) this.e.propagate(inst.flowScopeKey, SLA_VARIABLE, final);
  }

  // ------------------------------------------------------------------------------ spans

  private openSpan(spanId: string): OpenClock | undefined {
    for (const c of Object.values(this.e.state.sla?.clocks ?? {})) if (c.kind === 'span' && c.spanId === spanId) return c as OpenClock;
    return undefined;
  }

  private startSpan(span: SlaSpan, inst: ElementInstance): void {
    if (this.openSpan(span.id)) return; // already measuring (the first element ran again)
    let spec: Spec;
    try {
      spec = this.evaluate(span, this.e.context(inst.flowScopeKey));
    } catch (err) {
      this.clockIncident(undefined, `SLA span '${span.id}': ${messageOf(err)}`);
      return;
    }
    const clock = this.open('span', `span:${span.id}:${inst.key}`, inst, span.departments, spec, span);
    this.startNow(clock, spec);
  }

  private pauseSpan(span: SlaSpan, by: string): void {
    const clock = this.openSpan(span.id);
    if (!clock || clock.pausedBy.includes(by)) return;
    clock.pausedBy.push(by);
    if (clock.status !== 'running' || clock.pausedBy.length > 1) return; // resolving: paused as soon as it starts
    this.pauseNow(clock);
  }

  private pauseNow(clock: OpenClock): void {
    clock.usedMs += this.usedSinceSegment(clock);
    clock.status = 'paused';
    this.record(clock, 'PAUSED');
  }

  private resumeSpan(span: SlaSpan, by: string): void {
    const clock = this.openSpan(span.id);
    if (!clock || !clock.pausedBy.includes(by)) return;
    clock.pausedBy = clock.pausedBy.filter((k) => k !== by);
    if (clock.pausedBy.length > 0 || clock.status !== 'paused') return;
    clock.segmentStart = this.e.runtime.now();
    clock.firstPeriod = false;
    clock.status = 'resolving';
    // Natural time needs no calendar; working time takes the calendar as it is now (a year added meanwhile counts).
    if (clock.limit!.timeBase === 'natural') this.plan(clock);
    else this.pending.push({ clockKey: clock.key, calendarId: clock.limit!.calendarId!, from: clock.segmentStart });
  }

  private endSpan(spanId: string, cancelled: boolean): void {
    const clock = this.openSpan(spanId);
    if (!clock) return;
    if (!clock.limit) {
      delete this.state.clocks[clock.key];
      return;
    }
    const final = this.stop(clock, cancelled ? 'CANCELLED' : clock.breached ? 'LATE' : 'MET');
    if (!cancelled) this.publishSpan(clock.spanId!, final);
  }

  private cancelSpans(): void {
    for (const c of Object.values(this.e.state.sla?.clocks ?? {})) if (c.kind === 'span') this.endSpan(c.spanId!, true);
  }

  // ------------------------------------------------------------------------------ starting

  private evaluate(limit: SlaLimit, ctx: Variables): Spec {
    const policy = limit.policy !== undefined ? evalString(limit.policy, ctx, 'SLA policy') : undefined;
    const duration = limit.duration !== undefined ? evalString(limit.duration, ctx, 'SLA duration') : undefined;
    const set = ctx['slaPolicySet'];
    return {
      ...(policy !== undefined ? { policy } : {}),
      ...(typeof set === 'string' ? { policySet: set } : {}),
      ...(duration !== undefined ? { duration } : {}),
      timeBase: limit.timeBase ?? 'natural',
      ...(limit.calendar !== undefined ? { calendarId: limit.calendar } : {}),
      warnings: limit.warnings ?? [],
    };
  }

  private open(kind: 'element' | 'span', key: string, inst: ElementInstance, departments: string[], spec: Spec, span?: SlaSpan): OpenClock {
    const now = this.e.runtime.now();
    const name = span ? (span.name ?? span.id) : this.e.model.nodes[inst.elementId]?.name;
    const clock: OpenClock = {
      key,
      kind,
      elementId: inst.elementId,
      elementInstanceKey: inst.key,
      ...(span ? { spanId: span.id } : {}),
      ...(name ? { name } : {}),
      departments: [...departments],
      status: 'resolving',
      startedAt: now,
      segmentStart: now,
      usedMs: 0,
      firstPeriod: true,
      warnings: [],
      warnedLevel: 0,
      breached: false,
      pausedBy: [],
      spec,
    };
    this.state.clocks[key] = clock;
    return clock;
  }

  /** Starts a clock whose limit needs nothing from the database; else asks for its resolution. */
  private startNow(clock: OpenClock, spec: Spec): boolean {
    if (spec.duration !== undefined && spec.timeBase === 'natural') {
      this.begin(clock, this.explicitLimit(spec, clock.startedAt));
      return true;
    }
    // The activity records STARTED (under a sequence number reserved now) with the batch it comes with.
    this.e.state.seq += 1;
    this.pending.push({
      clockKey: clock.key,
      ...(spec.policy !== undefined ? { policy: spec.policy } : {}),
      ...(spec.policySet !== undefined ? { policySet: spec.policySet } : {}),
      ...(spec.policy === undefined
        ? { explicit: { duration: spec.duration!, timeBase: spec.timeBase, calendarId: spec.calendarId ?? 'cn', warnings: spec.warnings } }
        : {}),
      from: clock.startedAt,
      start: { seq: this.e.state.seq, at: this.e.runtime.now(), record: this.startRecord(clock) },
    });
    return false;
  }

  private startRecord(clock: ClockState): SlaStartRecord {
    return {
      clockKey: clock.key,
      clockKind: clock.kind,
      ...(clock.spanId ? { spanId: clock.spanId } : {}),
      ...(clock.name ? { name: clock.name } : {}),
      elementId: clock.elementId,
      elementInstanceKey: clock.elementInstanceKey,
      startedAt: clock.startedAt,
      departments: clock.departments,
      subject: this.subject(),
    };
  }

  private subject(): SlaStartRecord['subject'] {
    const root = this.e.state.variables[this.e.processInstanceKey] ?? {};
    const subject: Record<string, string> = {};
    for (const name of ['businessKey', 'customerClass', 'area']) if (typeof root[name] === 'string') subject[name] = root[name];
    return subject;
  }

  private explicitLimit(spec: Spec, from: number): ResolvedLimit {
    try {
      return resolveLimit({ duration: spec.duration!, timeBase: spec.timeBase, warnings: spec.warnings }, from);
    } catch (err) {
      throw new SlaFailure(messageOf(err));
    }
  }

  /**
   * Resolutions from the activity, by clock key: starts or resumes the clocks, and lets elements that
   * waited for their clock go on. Runs inside Engine.run.
   */
  resolved(results: Record<string, ClockResolution>): void {
    for (const [key, res] of Object.entries(results)) {
      const clock = this.clock(key);
      if (!clock || clock.status !== 'resolving') continue; // ended meanwhile
      const inst = clock.kind === 'element' ? this.e.state.instances[clock.elementInstanceKey] : undefined;
      try {
        if (!res.ok) throw new SlaFailure(res.message);
        if (res.calendar) {
          this.state.calendars[res.calendar.id] = res.calendar;
          this.calendars.delete(res.calendar.id);
        }
        if (clock.limit) {
          this.plan(clock); // resumed
        } else {
          // Started: the activity planned it with worktime/clock.ts and recorded STARTED.
          if (!res.limit || !res.plan) throw new SlaFailure('the resolution of a starting clock brought no plan');
          clock.limit = res.limit;
          clock.dueAt = res.plan.dueAt;
          clock.warnings = res.plan.warnings;
          clock.status = 'running';
          delete clock.spec;
          this.publish(clock);
          if (clock.pausedBy.length > 0) this.pauseNow(clock);
        }
      } catch (err) {
        if (!(err instanceof SlaFailure)) throw err;
        this.failed(clock, inst, err.message);
        continue;
      }
      if (inst && inst.state === 'ACTIVATING' && inst.waits.some((w) => w.kind === 'clock')) {
        inst.waits = inst.waits.filter((w) => w.kind !== 'clock');
        this.e.proceed(inst);
      }
    }
  }

  /** An incident saying why a clock could not start (or resume); resolving it tries again. */
  private failed(clock: OpenClock, inst: ElementInstance | undefined, message: string): void {
    const text = `SLA 时限无法计算 / the SLA clock of ${clock.spanId ? `span '${clock.spanId}'` : clock.elementId} cannot start: ${message}`;
    if (clock.kind === 'element' && !clock.limit && inst?.waits.some((w) => w.kind === 'clock')) {
      // The element waited for its clock: the incident holds it; resolving it enters it again.
      delete this.state.clocks[clock.key];
      inst.waits = inst.waits.filter((w) => w.kind !== 'clock');
      this.e.raiseIncident(inst, 'SLA_ERROR', text, 'activate');
      return;
    }
    // A span, or a step that went on without waiting: the incident is on the process instance (it holds
    // the instance's completion, so no clock is silently lost), and resolving it asks for the clock again.
    this.clockIncident(clock.key, text);
  }

  private clockIncident(clockKey: string | undefined, message: string): void {
    const root = this.e.state.instances[this.e.processInstanceKey];
    if (!root) return;
    const incident = this.e.raiseIncident(root, 'SLA_ERROR', message, clockKey ? 'clock' : 'acknowledge');
    if (clockKey) incident.clockKey = clockKey;
  }

  /** Resolving a clock's incident (retry 'clock') asks for its resolution again. */
  retry(clockKey: string | undefined): void {
    const clock = clockKey ? this.clock(clockKey) : undefined;
    if (!clock || clock.status !== 'resolving') return;
    if (clock.limit) {
      this.pending.push({ clockKey: clock.key, calendarId: clock.limit.calendarId!, from: clock.segmentStart });
    } else {
      // Counted from now: the time before the calendar could be resolved is not the step's fault.
      clock.startedAt = clock.segmentStart = this.e.runtime.now();
      this.startNow(clock, clock.spec!);
    }
  }

  private calendarFor(limit: ResolvedLimit): Calendar | undefined {
    if (limit.timeBase === 'natural') return undefined;
    const id = limit.calendarId!;
    let cal = this.calendars.get(id);
    if (!cal) {
      const data = this.e.state.sla?.calendars[id];
      if (!data) throw new SlaFailure(`calendar '${id}' was not loaded`);
      cal = new Calendar(data);
      this.calendars.set(id, cal);
    }
    return cal;
  }

  /** Computes the due and warning instants of a starting clock, once; records STARTED. */
  private begin(clock: OpenClock, limit: ResolvedLimit): void {
    clock.limit = limit;
    try {
      this.plan(clock);
    } catch (err) {
      delete clock.limit; // not started: resolving its incident starts it afresh
      throw err;
    }
  }

  /** Plans the running period that starts at segmentStart (the start, or a resumption). */
  private plan(clock: OpenClock): void {
    const limit = clock.limit!;
    let plan;
    try {
      plan = planClock(limit, this.calendarFor(limit), clock.segmentStart, clock.usedMs, !clock.firstPeriod);
    } catch (err) {
      throw new SlaFailure(messageOf(err));
    }
    const resumed = !clock.firstPeriod;
    clock.dueAt = plan.dueAt;
    clock.warnings = plan.warnings;
    clock.status = 'running';
    delete clock.spec;
    this.record(clock, resumed ? 'RESUMED' : 'STARTED');
    // Paused before it could start (the span's first element is itself a waiting step).
    if (clock.pausedBy.length > 0) this.pauseNow(clock);
  }

  private usedSinceSegment(clock: OpenClock): number {
    const limit = clock.limit!;
    try {
      return usedBetween(limit, this.calendarFor(limit), clock.segmentStart, this.e.runtime.now(), clock.firstPeriod);
    } catch {
      // The pause falls in a year the loaded calendar lacks: the clock counts as used up (it has
      // run past its due instant long ago); the resumption reloads the calendar.
      return Math.max(0, limit.durationMs - clock.usedMs);
    }
  }

  private stop(clock: OpenClock, transition: 'MET' | 'LATE' | 'CANCELLED'): Variables {
    if (clock.status === 'running') clock.usedMs += this.usedSinceSegment(clock);
    this.record(clock, transition);
    delete this.state.clocks[clock.key];
    return this.view(clock, transition === 'MET' ? 'met' : transition === 'LATE' ? 'late' : 'cancelled');
  }

  // ------------------------------------------------------------------------------ timers

  nextDueAt(): number | undefined {
    let min: number | undefined;
    for (const c of Object.values(this.e.state.sla?.clocks ?? {})) {
      if (c.status !== 'running') continue;
      const next = this.nextInstant(c);
      if (next !== undefined && (min === undefined || next < min)) min = next;
    }
    return min;
  }

  private nextInstant(c: ClockState): number | undefined {
    const warning = c.warnings.find((w) => w.level > c.warnedLevel);
    if (warning && (c.breached || warning.at < (c.dueAt ?? Infinity))) return warning.at;
    return c.breached ? undefined : c.dueAt;
  }

  /** Fires the warnings and breaches due at `now`, in order. Runs inside Engine.run. */
  fire(now: number): void {
    for (const c of Object.values(this.e.state.sla?.clocks ?? {}) as OpenClock[]) {
      if (c.status !== 'running') continue;
      let changed = false;
      for (const w of c.warnings) {
        if (w.level <= c.warnedLevel || w.at > now) continue;
        c.warnedLevel = w.level;
        this.record(c, 'WARNED', w.level);
        changed = true;
      }
      if (!c.breached && c.dueAt !== undefined && c.dueAt <= now) {
        c.breached = true;
        this.record(c, 'BREACHED');
        changed = true;
      }
      if (changed) this.publish(c);
    }
  }

  // ------------------------------------------------------------------------------ records and variables

  private record(clock: ClockState, transition: SlaTransition, level?: number): void {
    const limit = clock.limit!;
    const subject = this.subject();
    const next = clock.status === 'running' ? clock.warnings.find((w) => w.level > clock.warnedLevel)?.at : undefined;
    this.e.emit({
      type: 'SLA',
      transition,
      clockKey: clock.key,
      clockKind: clock.kind,
      ...(clock.spanId ? { spanId: clock.spanId } : {}),
      ...(clock.name ? { name: clock.name } : {}),
      elementId: clock.elementId,
      elementInstanceKey: clock.elementInstanceKey,
      ...(level !== undefined ? { level } : {}),
      ...(clock.dueAt !== undefined ? { dueAt: clock.dueAt } : {}),
      ...(next !== undefined ? { nextWarningAt: next } : {}),
      startedAt: clock.startedAt,
      usedMs: clock.usedMs,
      durationMs: limit.durationMs,
      timeBase: limit.timeBase,
      ...(limit.calendarId ? { calendarId: limit.calendarId } : {}),
      ...(limit.policy ? { policy: limit.policy } : {}),
      departments: clock.departments,
      subject,
    });
    if (transition === 'STARTED' || transition === 'RESUMED' || transition === 'PAUSED') this.publish(clock);
  }

  /** The clock as the diagram reads it. */
  private view(clock: ClockState, state: 'running' | 'paused' | 'met' | 'late' | 'cancelled'): Variables {
    const limit = clock.limit!;
    return {
      key: clock.key,
      elementId: clock.elementId,
      ...(clock.spanId ? { spanId: clock.spanId } : {}),
      policy: limit.policy?.key ?? null,
      policySet: limit.policy?.set ?? null,
      policyVersion: limit.policy?.version ?? null,
      duration: limit.duration,
      timeBase: limit.timeBase,
      calendar: limit.calendarId ?? null,
      startedAt: iso(clock.startedAt),
      dueAt: iso(clock.dueAt),
      warnAt: clock.warnings.map((w) => iso(w.at)),
      warnedLevel: clock.warnedLevel,
      breached: clock.breached,
      state,
    };
  }

  private publish(clock: ClockState): void {
    const value = this.view(clock, clock.status === 'paused' ? 'paused' : 'running');
    if (clock.kind === 'span') {
      this.publishSpan(clock.spanId!, value);
      return;
    }
    // Only a step that reads its clock has it in scope while it runs (each write is a projection).
    if (this.readers.has(clock.elementId) && this.e.state.variables[clock.elementInstanceKey]) {
      this.e.setLocal(clock.elementInstanceKey, SLA_VARIABLE, value);
    }
  }

  private publishSpan(spanId: string, value: Variables): void {
    const root = this.e.state.variables[this.e.processInstanceKey];
    if (!root || this.e.state.ended) return;
    const spans = root[SPANS_VARIABLE];
    const current = spans && typeof spans === 'object' && !Array.isArray(spans) ? (spans as Variables) : {};
    this.e.setLocal(this.e.processInstanceKey, SPANS_VARIABLE, { ...current, [spanId]: value });
  }
}
