/**
 * One process instance hosted in memory: the Interpreter with a Runtime that hands its effects to
 * the in-memory engine, and the workflow's main loop (workflows/process-instance.ts) without
 * Temporal: an inbox of things that happened, applied in order, then due timers, then the events
 * projected (a subscription that takes a buffered message gets it at once), until nothing moves.
 */
import type { ChildRequest, JobRequest, Runtime } from '../../../workflows/engine/engine.js';
import { Interpreter } from '../../../workflows/engine/interpreter.js';
import { handlers } from '../../../workflows/elements/registry.js';
import type { DeliveredMessage, EngineEvent, EngineSnapshot, ProcessInstanceResult, Variables } from '../../../workflows/types.js';
import type { MemoryDefinition } from './definitions.js';
import { json } from './read-model.js';

/** What a hosted instance needs from the engine around it. */
export interface Host {
  readonly now: number;
  /** Continue as new (a fresh Interpreter from a JSON copy of the snapshot) whenever the workflow may. */
  readonly continueAsNew: boolean;
  enqueue(task: () => void | Promise<void>): void;
  startJob(instance: HostedInstance, elementInstanceKey: string, job: JobRequest): void;
  cancelJob(instance: HostedInstance, elementInstanceKey: string): void;
  startChild(instance: HostedInstance, elementInstanceKey: string, child: ChildRequest): void;
  broadcastSignal(signalName: string, variables: Variables): void;
  record(instance: HostedInstance, events: EngineEvent[]): DeliveredMessage[];
  returnMessage(messageKey: string): void;
  ended(instance: HostedInstance): void;
}

export interface ParentLink {
  instance: HostedInstance;
  elementInstanceKey: string;
  catchesErrors: string[] | 'all';
}

/** A loop that keeps moving after this many rounds without waiting is a bug (e.g. a timer cycle of PT0S). */
const MAX_ROUNDS = 10_000;

export class HostedInstance {
  ended = false;
  /** How often the instance continued as new. */
  continuedAsNew = 0;
  private current: Interpreter;
  /** Jobs in flight by element instance key; a cancelled job's outcome is dropped. */
  readonly jobs = new Map<string, { cancelled: boolean }>();
  /** Called instances by call-activity element instance key ('starting' until the child exists). */
  readonly children = new Map<string, HostedInstance | 'starting'>();
  private readonly inbox: Array<() => void> = [];
  private turnQueued = false;

  constructor(
    readonly key: string,
    readonly definition: MemoryDefinition,
    private readonly host: Host,
    readonly parent?: ParentLink,
  ) {
    this.current = this.interpreter();
  }

  get engine(): Interpreter {
    return this.current;
  }

  private interpreter(snapshot?: EngineSnapshot): Interpreter {
    return new Interpreter({
      processInstanceKey: this.key,
      model: this.definition.model,
      runtime: this.runtime(),
      handlers,
      hasParent: this.parent !== undefined,
      ...(this.parent ? { parentCatchesErrors: this.parent.catchesErrors } : {}),
      ...(snapshot ? { snapshot } : {}),
    });
  }

  /** Puts `apply` in the inbox (a Temporal signal or update); false when the instance has ended. */
  post(apply: (engine: Interpreter) => void): boolean {
    if (this.ended) return false;
    this.inbox.push(() => apply(this.engine));
    if (!this.turnQueued) {
      this.turnQueued = true;
      this.host.enqueue(() => this.turn());
    }
    return true;
  }

  /** Timers are due: the next turn fires them. */
  wake(): void {
    this.post(() => undefined);
  }

  /** A message delivered by publication or from the buffer; back to the buffer when nothing takes it. */
  deliverOrReturn(message: DeliveredMessage): void {
    if (!this.engine.deliverMessage(message)) this.host.returnMessage(message.messageKey);
  }

  get result(): ProcessInstanceResult | undefined {
    return this.engine.result;
  }

  /** Starts the instance (the workflow's first task), then runs its loop. */
  begin(variables: Variables, startElementId?: string): void {
    this.turnQueued = true;
    this.host.enqueue(() => {
      this.engine.start(variables, startElementId);
      this.turn();
    });
  }

  /** The workflow's main loop, in its order: project, stop at a result, wait, apply the inbox, fire due timers. */
  private turn(): void {
    this.turnQueued = false;
    if (this.ended) return;
    for (let round = 0; ; round++) {
      if (round > MAX_ROUNDS) throw new Error(`process instance ${this.key} (${this.definition.processId}) keeps moving without ever waiting`);
      this.flush();
      if (this.engine.result) {
        this.end();
        return;
      }
      const due = this.engine.nextDueAt();
      if (this.inbox.length === 0 && (due === undefined || due > this.host.now)) {
        // As the workflow does: only with no job or called instance in flight (their promises cannot be carried over).
        if (this.host.continueAsNew && !this.engine.hasInFlightWork()) {
          this.current = this.interpreter(json(this.engine.state));
          this.continuedAsNew += 1;
        }
        return;
      }
      while (this.inbox.length > 0) this.inbox.shift()!();
      this.engine.fireTimers(this.host.now);
    }
  }

  private flush(): void {
    for (;;) {
      const events = this.engine.drainEvents();
      if (events.length === 0) return;
      for (const m of this.host.record(this, events)) this.deliverOrReturn(m);
    }
  }

  private end(): void {
    this.ended = true;
    this.inbox.length = 0;
    for (const job of this.jobs.values()) job.cancelled = true;
    this.jobs.clear();
    // Temporal's parent close policy REQUEST_CANCEL: called instances still running are cancelled.
    for (const child of this.children.values()) if (child !== 'starting') child.post((e) => e.cancel());
    this.children.clear();
    this.host.ended(this);
  }

  private runtime(): Runtime {
    return {
      now: () => this.host.now,
      startJob: (key, job) => this.host.startJob(this, key, job),
      cancelJob: (key) => this.host.cancelJob(this, key),
      startChild: (key, req) => {
        this.children.set(key, 'starting');
        const child = json(req);
        this.host.enqueue(() => this.host.startChild(this, key, child));
      },
      cancelChild: (key) => {
        const child = this.children.get(key);
        this.children.delete(key);
        if (child && child !== 'starting') child.post((e) => e.cancel());
      },
      broadcastSignal: (signalName, variables) => {
        const carried = json(variables);
        this.host.enqueue(() => this.host.broadcastSignal(signalName, carried));
      },
      escalateToParent: (escalationCode, variables) => {
        const parent = this.parent;
        const carried = json(variables);
        parent?.instance.post((e) => e.childEscalated(parent.elementInstanceKey, escalationCode, carried));
      },
    };
  }
}
