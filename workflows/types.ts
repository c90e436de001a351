/**
 * Types shared by the interpreter (workflows/), the projection activities (activities/) and the
 * server. Plain data only: everything here crosses the workflow boundary as JSON.
 */
import type { ProcessModel } from '../bpmn/model.js';
import type { JobRequest } from './engine/engine.js';
import type { EngineLimits } from './engine/limits.js';
import type { WorkingCalendar } from '../worktime/calendar.js';
import type { ClockResolution, ResolvedLimit } from '../worktime/clock.js';
import type { VariableLimits } from './variables-limits.js';

export type Variables = Record<string, unknown>;

/** Camunda 8 element lifecycle, as recorded in history and projections. */
export type ElementState = 'ACTIVATING' | 'ACTIVE' | 'COMPLETING' | 'COMPLETED' | 'TERMINATING' | 'TERMINATED';

export type IncidentType =
  | 'JOB_NO_RETRIES'
  | 'CONDITION_ERROR'
  | 'EXTRACT_VALUE_ERROR'
  | 'IO_MAPPING_ERROR'
  | 'UNHANDLED_ERROR_EVENT'
  | 'CALLED_ELEMENT_ERROR'
  /** A variable or the instance's variables would exceed their size limit (workflows/variables-limits.ts). */
  | 'MESSAGE_SIZE_EXCEEDED'
  /** The read model could not store something as it is (activities/projections.ts); acknowledged by resolving. */
  | 'UNKNOWN'
  /** An SLA clock could not start: unknown policy, a calendar year without data, a bad duration (workflows/engine/sla-clocks.ts). */
  | 'SLA_ERROR';

/** Who started an instance from a call activity, so errors and variables can travel back. */
export interface ParentRef {
  processInstanceKey: string;
  elementInstanceKey: string;
  /**
   * Error codes that the caller (or its own callers) would catch at this call activity, 'all' for a
   * catch-all. An error the child does not catch goes to the caller only if the caller catches it;
   * otherwise it is an incident at the throwing element in the child, as in Camunda 8. Absent (older
   * instances): every error goes to the caller.
   */
  catchesErrors?: string[] | 'all';
}

export interface ProcessInstanceInput {
  processInstanceKey: string;
  processDefinitionKey: string;
  processDefinitionVersion: number;
  model: ProcessModel;
  variables: Variables;
  /** Start at this start event (message/timer/signal start); otherwise the none start event. */
  startElementId?: string;
  parent?: ParentRef;
  /** Present when the instance continues as new: the whole engine state. */
  resume?: EngineSnapshot;
  /** Continue as new after this many history events instead of the default 8000 (tests). */
  historyLimit?: number;
  /**
   * Bounds on FEEL evaluation and multi-instance cardinality (workflows/engine/limits.ts); what is
   * not given takes the defaults there. Fixed for the life of the instance (recorded in its history).
   */
  limits?: Partial<EngineLimits>;
  /** Size limits of variables (the server's configuration when it started the instance); absent: the defaults. */
  variableLimits?: VariableLimits;
  /** Heartbeat timeout of an external job's activity in ms instead of the default 5 min (tests). */
  externalJobHeartbeatMs?: number;
  /** Jobs the previous run deferred while its continue-as-new was due, by element instance key; started first. */
  deferredJobs?: Array<[string, JobRequest]>;
}

/** What a finished instance returns to its parent (call activity) or to whoever awaits it. */
export type ProcessInstanceResult =
  | { outcome: 'completed'; variables: Variables }
  | { outcome: 'error'; errorCode: string; errorMessage?: string; variables: Variables }
  | { outcome: 'escalation'; escalationCode: string; variables: Variables }
  | { outcome: 'terminated' };

/** A waiting point of an element instance, serialisable so that it survives continue-as-new. */
export type Wait = WaitKind & {
  /** The element this wait starts when it fires (boundary event, event-subprocess start, event after an event-based gateway). */
  triggersElementId?: string;
};
type WaitKind =
  | { kind: 'job'; jobType: string; retries: number; headers: Record<string, string>; attempt: number }
  | { kind: 'userTask' }
  | { kind: 'timer'; dueAt: number; /** remaining repetitions for cycles, -1 = unbounded */ repeat?: number; interval?: string }
  | { kind: 'message'; messageName: string; correlationKey: string }
  | { kind: 'signal'; signalName: string }
  | { kind: 'child'; childWorkflowId?: string }
  | { kind: 'incident'; incidentKey: string }
  /** The element's SLA clock is being resolved (policy, calendar); activation goes on when it is. */
  | { kind: 'clock' };

export interface ElementInstance {
  key: string;
  elementId: string;
  /** BPMN element type (plus 'process' for the root and 'multiInstanceBody'). */
  elementType: string;
  /** Key of the containing scope instance; null for the process instance itself. */
  flowScopeKey: string | null;
  state: ElementState;
  /** The element has its own variable scope (subprocess, io mappings, multi-instance item). */
  hasScope: boolean;
  /** Subscriptions/wait points opened by this element instance (boundary events are separate instances-to-be). */
  waits: Wait[];
  /** Multi-instance bookkeeping on a body instance. */
  loop?: { items: unknown[]; next: number; completed: number; outputs: unknown[]; innerActive: number; done?: boolean };
  /** Flows a gateway chose on activation, taken when it leaves. */
  chosenFlows?: string[];
  /** Index (1-based) of a multi-instance inner instance. */
  loopCounter?: number;
  startedAt: number;
}

/** Join bookkeeping: tokens that arrived at a parallel/inclusive gateway in a scope, per incoming flow. */
export interface JoinState {
  scopeKey: string;
  gatewayId: string;
  arrived: Record<string, number>;
}

export interface IncidentRecord {
  key: string;
  type: IncidentType;
  message: string;
  elementInstanceKey: string;
  elementId: string;
  /** What resolution does: re-run the job, or retry the step that failed. */
  retry: 'job' | 'activate' | 'complete' | 'leave' | 'child' | 'acknowledge' | 'clock';
  /** The SLA clock to start again when retry is 'clock' (a span's clock). */
  clockKey?: string;
}

export interface EngineSnapshot {
  keyCounter: number;
  seq: number;
  instances: Record<string, ElementInstance>;
  variables: Record<string, Variables>;
  joins: JoinState[];
  incidents: Record<string, IncidentRecord>;
  /** User tasks completed in this run (so a duplicate completion is told apart from an unknown task). */
  completedTasks: string[];
  ended?: ProcessInstanceResult;
  /** SLA clocks of this instance (workflows/engine/sla-clocks.ts); absent when the diagram has no limits. */
  sla?: SlaState;
}

// ------------------------------------------------------------------------------------------ SLA clocks

/** A limit as resolved when its clock starts (worktime/clock.ts). */
export type { ResolvedLimit } from '../worktime/clock.js';

export interface ClockState {
  key: string;
  kind: 'element' | 'span';
  /** The measured element (element clocks) or the span's first element. */
  elementId: string;
  elementInstanceKey: string;
  spanId?: string;
  name?: string;
  departments: string[];
  /** resolving: waiting for its policy or calendar (at the start, or to resume). */
  status: 'resolving' | 'running' | 'paused';
  startedAt: number;
  limit?: ResolvedLimit;
  /** Start of the current running period, and the limit used before it. */
  segmentStart: number;
  usedMs: number;
  /** The current period is the clock's first (a working-day limit does not count its start day). */
  firstPeriod: boolean;
  dueAt?: number;
  /** Warning instants still to fire or fired, by level. */
  warnings: Array<{ level: number; at: number }>;
  warnedLevel: number;
  breached: boolean;
  /** Element instances during which a span pauses that are running now. */
  pausedBy: string[];
}

export interface SlaState {
  clocks: Record<string, ClockState>;
  /** Calendar data as last resolved, by calendar id (the years around the clocks' instants). */
  calendars: Record<string, WorkingCalendar>;
}

/** The clock's exchange with the resolving activity (worktime/clock.ts, shared with sla/resolve.ts). */
export type { ClockRequest, ClockResolution, SlaStartRecord } from '../worktime/clock.js';

export type SlaTransition = 'STARTED' | 'WARNED' | 'BREACHED' | 'PAUSED' | 'RESUMED' | 'MET' | 'LATE' | 'CANCELLED';

/**
 * Events the interpreter emits; the projection activity writes them to PostgreSQL in order.
 * `seq` is per process instance and strictly increasing, which makes the projection idempotent.
 */
export type EngineEvent = { seq: number; at: number } & (
  | {
      type: 'ELEMENT';
      key: string;
      elementId: string;
      elementType: string;
      flowScopeKey: string | null;
      state: ElementState;
      incidentKey?: string;
    }
  | { type: 'VARIABLE'; scopeKey: string; name: string; value: unknown }
  | {
      type: 'USER_TASK_CREATED';
      key: string;
      elementId: string;
      name?: string;
      assignee?: string;
      candidateGroups: string[];
      candidateUsers: string[];
      dueDate?: string;
      followUpDate?: string;
      priority: number;
      formKey?: string;
      formId?: string;
      customHeaders?: Record<string, string>;
    }
  | { type: 'USER_TASK_ENDED'; key: string; state: 'COMPLETED' | 'CANCELED'; variables?: Variables }
  | { type: 'INCIDENT_CREATED'; key: string; elementInstanceKey: string; elementId: string; errorType: IncidentType; message: string }
  | { type: 'INCIDENT_RESOLVED'; key: string }
  | { type: 'MESSAGE_SUBSCRIPTION_OPENED'; elementInstanceKey: string; elementId: string; messageName: string; correlationKey: string }
  | { type: 'MESSAGE_SUBSCRIPTION_CLOSED'; elementInstanceKey: string }
  | { type: 'SIGNAL_SUBSCRIPTION_OPENED'; elementInstanceKey: string; elementId: string; signalName: string }
  | { type: 'SIGNAL_SUBSCRIPTION_CLOSED'; elementInstanceKey: string }
  | { type: 'PROCESS_INSTANCE_ENDED'; state: 'COMPLETED' | 'TERMINATED' }
  | {
      type: 'SLA';
      transition: SlaTransition;
      clockKey: string;
      clockKind: 'element' | 'span';
      spanId?: string;
      name?: string;
      elementId: string;
      elementInstanceKey: string;
      level?: number;
      dueAt?: number;
      nextWarningAt?: number;
      /** When the clock started (before its resolution came back, for a policy or a calendar). */
      startedAt: number;
      usedMs: number;
      durationMs: number;
      timeBase: ResolvedLimit['timeBase'];
      calendarId?: string;
      policy?: { set: string; key: string; version: number };
      departments: string[];
      /** Business key, customer class and area where the instance has them (root variables). */
      subject: { businessKey?: string; customerClass?: string; area?: string };
    }
);

/** A message delivered to a waiting instance (by publication or from the buffer). */
export interface DeliveredMessage {
  messageKey: string;
  messageName: string;
  correlationKey: string;
  variables: Variables;
}

export interface RecordEventsResult {
  /** Buffered messages that matched a subscription opened in this batch. */
  delivered: Array<DeliveredMessage & { elementInstanceKey: string }>;
  /**
   * PostgreSQL refused the batch as it was (a data error, SQLSTATE class 22): it was stored with
   * unstorable characters replaced, and this says why; the workflow raises an incident.
   */
  unstorable?: string;
  /** Resolutions of the SLA clock requests sent with the batch, by clock key. */
  clocks?: Record<string, ClockResolution>;
}
