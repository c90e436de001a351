/**
 * The one workflow type: it interprets a ProcessModel (engine/interpreter.ts) and connects the
 * engine to Temporal: jobs are activities, called processes are child workflows, timers are
 * workflow timers, messages and signals are Temporal signals, user-task completion and incident
 * resolution are Updates. Every engine event is projected to PostgreSQL before the instance waits.
 */
import * as wf from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { RequestRejected, type JobRequest, type Runtime } from './engine/engine.js';
import { Interpreter } from './engine/interpreter.js';
import { modelHasLimits } from './engine/sla-clocks.js';
import { VariableRejectedError } from './engine/variable-budget.js';
import { handlers } from './elements/registry.js';
import {
  AWAIT_EFFECTS_PATCH,
  BATCHED_ACTIVATION_PATCH,
  BPMN_ERROR_TYPE,
  EXTERNAL_JOBS_PATCH,
  NO_JOB_HANDLER_TYPE,
  PROJECTION_DATA_ERROR,
  processInstanceWorkflowId,
  SLA_CLOCKS_PATCH,
  UPDATE_ACCEPTED_FIRST_PATCH,
} from './ids.js';
import {
  cancelSignal,
  completeUserTaskUpdate,
  deliverMessageSignal,
  deliverSignalSignal,
  escalationFromChildSignal,
  resolveIncidentUpdate,
  setVariablesUpdate,
  snapshotQuery,
} from './messages.js';
import type { DeliveredMessage, ProcessInstanceInput, ProcessInstanceResult } from './types.js';


const projections = wf.proxyLocalActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '200ms', maximumInterval: '10s' },
});

/** A no-op activity whose only purpose is to end the workflow task (see viaInbox). */
const acknowledge = wf.proxyActivities<Activities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '100ms', maximumInterval: '2s' },
});

/** Activities that read or write PostgreSQL: retried for minutes, so a database restart makes no incident. */
const definitions = wf.proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '500ms', maximumInterval: '10s', maximumAttempts: 40 },
});

/**
 * A job activity heartbeats while its handler runs (activities/jobs.ts); when its worker dies the
 * server retries it elsewhere after this long instead of after the whole start-to-close timeout.
 */
const JOB_HEARTBEAT_TIMEOUT = '10s';

function jobActivities(retries: number) {
  return wf.proxyActivities<Activities>({
    startToCloseTimeout: '5m',
    heartbeatTimeout: JOB_HEARTBEAT_TIMEOUT,
    retry: {
      maximumAttempts: retries,
      initialInterval: '1s',
      backoffCoefficient: 2,
      maximumInterval: '30s',
      nonRetryableErrorTypes: [BPMN_ERROR_TYPE, NO_JOB_HANDLER_TYPE],
    },
  });
}

/**
 * Inner instances of a parallel multi-instance created per workflow activation; more wait for the
 * next activation (after the projection of this batch). Keeps each activation far below the SDK's
 * 5 s deadline on a busy machine: 10,000 user tasks are created in 20 activations.
 */
const INNER_INSTANCES_PER_STEP = 500;

/** Continue as new after this many history events (Temporal warns at 10k and stops at 50k). */
const HISTORY_EVENT_LIMIT = 8000;

function failureMessage(err: unknown): string {
  let cur: unknown = err;
  while (cur instanceof Error && (cur as { cause?: unknown }).cause instanceof Error) cur = (cur as { cause?: unknown }).cause;
  return cur instanceof Error ? cur.message : String(err);
}

/** The ApplicationFailure type somewhere in a failure's cause chain. */
function failureType(err: unknown): string | undefined {
  let cur: unknown = err;
  while (cur instanceof Error) {
    if (cur instanceof wf.ApplicationFailure && cur.type) return cur.type;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * A job for an external worker is completed asynchronously by the server (/v2/jobs/…) and may wait
 * long for a worker; its retries are counted by the worker's failure reports, not by Temporal.
 * Temporal retries only the writing of the job row: an attempt whose write failed (PostgreSQL down)
 * is retried with backoff, and one whose row was never written (its worker died) is noticed by the
 * heartbeat timeout, since nothing heartbeats it — the server's reconciliation sweep heartbeats every
 * open job row (services/reconcile.ts) — and offered again. Failures the server reports are
 * non-retryable.
 */
const EXTERNAL_JOB_HEARTBEAT_MS = 5 * 60_000;

function externalJobActivities(heartbeatMs: number) {
  return wf.proxyActivities<Activities>({
    startToCloseTimeout: '30 days',
    heartbeatTimeout: heartbeatMs,
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
  });
}

function bpmnErrorOf(err: unknown): { errorCode: string; errorMessage?: string; variables?: Record<string, unknown> } | undefined {
  let cur: unknown = err;
  while (cur instanceof Error) {
    if (cur instanceof wf.ApplicationFailure && cur.type === BPMN_ERROR_TYPE) {
      return (cur.details?.[0] as { errorCode: string; errorMessage?: string; variables?: Record<string, unknown> }) ?? { errorCode: '' };
    }
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

function rejection(err: unknown): never {
  if (err instanceof RequestRejected) {
    throw wf.ApplicationFailure.create({ type: err.code, message: err.message, nonRetryable: true, ...(err.coded ? { details: [err.coded] } : {}) });
  }
  if (err instanceof VariableRejectedError) throw wf.ApplicationFailure.create({ type: 'INVALID', message: err.message, nonRetryable: true });
  throw err;
}

export async function processInstanceWorkflow(input: ProcessInstanceInput): Promise<ProcessInstanceResult> {
  const inbox: Array<() => void> = [];
  const jobScopes = new Map<string, wf.CancellationScope>();
  const childScopes = new Map<string, wf.CancellationScope>();
  let ticketCounter = 0;
  let appliedTicket = 0;
  let flushedTicket = 0;
  /** While a continue-as-new is due, new jobs wait here and the next run starts them (drain, then continue). */
  let continueAsNewDue = false;
  const deferredJobs = new Map<string, JobRequest>();
  /** Jobs waiting for an external job worker, by element instance key. */
  const externalJobs = new Set<string>();
  /** Escalations sent to the calling instance; awaited before this instance returns its result. */
  const toParent: Array<Promise<unknown>> = [];
  /** Fire-and-forget activities (signal broadcast, job cancellation, message return); awaited before the instance ends. */
  const effects: Array<Promise<unknown>> = [];
  const effect = (p: Promise<unknown>) => void effects.push(p.catch(() => undefined));

  const runtime: Runtime = {
    now: () => Date.now(),
    startJob(key, job) {
      if (continueAsNewDue) {
        deferredJobs.set(key, job);
        return;
      }
      const scope = new wf.CancellationScope();
      jobScopes.set(key, scope);
      const request = {
        processInstanceKey: input.processInstanceKey,
        bpmnProcessId: input.model.id,
        elementInstanceKey: key,
        elementId: job.elementId,
        jobType: job.jobType,
        headers: job.headers,
        variables: job.variables,
      };
      const awaitExternal = () => {
        externalJobs.add(key);
        return externalJobActivities(input.externalJobHeartbeatMs ?? EXTERNAL_JOB_HEARTBEAT_MS).awaitExternalJob({
          ...request,
          processDefinitionKey: input.processDefinitionKey,
          processDefinitionVersion: input.processDefinitionVersion,
          retries: job.retries,
        });
      };
      const run = scope.run(async () => {
        let result: Awaited<ReturnType<Activities['runJob']>>;
        try {
          result = await jobActivities(job.retries).runJob(request);
        } catch (err) {
          // No handler in this worker (as older workers reported it): the job waits for an external job worker.
          if (failureType(err) !== NO_JOB_HANDLER_TYPE || !wf.patched(EXTERNAL_JOBS_PATCH)) throw err;
          return await awaitExternal();
        }
        // No handler in this worker: the job waits for an external job worker (/v2/jobs/activation).
        if (result.external && wf.patched(EXTERNAL_JOBS_PATCH)) return await awaitExternal();
        return result;
      });
      void run.then(
        (result) => inbox.push(() => engine.jobCompleted(key, result.variables)),
        (err: unknown) => {
          if (wf.isCancellation(err)) return;
          const bpmnError = bpmnErrorOf(err);
          if (bpmnError) {
            inbox.push(() => engine.jobBpmnError(key, bpmnError.errorCode, bpmnError.errorMessage, bpmnError.variables ?? {}));
          } else {
            inbox.push(() => engine.jobFailed(key, failureMessage(err)));
          }
        },
      );
    },
    cancelJob(key) {
      deferredJobs.delete(key);
      if (externalJobs.delete(key)) effect(definitions.cancelExternalJob({ elementInstanceKey: key }));
      jobScopes.get(key)?.cancel();
      jobScopes.delete(key);
    },
    startChild(key, req) {
      const scope = new wf.CancellationScope();
      childScopes.set(key, scope);
      const run = scope.run(async () => {
        const target = await definitions.resolveCalledProcess({
          processId: req.processId,
          bindingType: req.bindingType,
          versionTag: req.versionTag,
          callerProcessDefinitionKey: input.processDefinitionKey,
        });
        return wf.executeChild(processInstanceWorkflow, {
          workflowId: processInstanceWorkflowId(target.processInstanceKey),
          cancellationType: wf.ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED,
          // A parent that ends right after terminating its call activity must not have Temporal
          // terminate the child (its projection would stay ACTIVE): the child is asked to cancel,
          // terminates its elements and records that.
          parentClosePolicy: wf.ParentClosePolicy.REQUEST_CANCEL,
          args: [
            {
              processInstanceKey: target.processInstanceKey,
              processDefinitionKey: target.processDefinitionKey,
              processDefinitionVersion: target.version,
              model: target.model,
              variables: req.variables,
              ...(input.variableLimits ? { variableLimits: input.variableLimits } : {}),
              parent: { processInstanceKey: input.processInstanceKey, elementInstanceKey: key, catchesErrors: req.catchesErrors },
              // A called instance works under its caller's limits.
              ...(input.limits ? { limits: input.limits } : {}),
            },
          ],
        });
      });
      void run.then(
        (result) => inbox.push(() => engine.childEnded(key, result)),
        (err: unknown) => {
          if (wf.isCancellation(err)) return;
          inbox.push(() => engine.childFailed(key, failureMessage(err)));
        },
      );
    },
    cancelChild(key) {
      childScopes.get(key)?.cancel();
      childScopes.delete(key);
    },
    broadcastSignal(signalName, variables) {
      effect(definitions.broadcastSignal({ signalName, variables, fromProcessInstanceKey: input.processInstanceKey }));
    },
    escalateToParent(escalationCode, variables) {
      const parent = input.parent;
      if (!parent) return;
      const sent = wf
        .getExternalWorkflowHandle(processInstanceWorkflowId(parent.processInstanceKey))
        .signal(escalationFromChildSignal, { elementInstanceKey: parent.elementInstanceKey, escalationCode, variables })
        .catch(() => undefined); // the caller has ended: nothing can catch it any more
      toParent.push(sent);
    },
  };

  const engine = new Interpreter({
    processInstanceKey: input.processInstanceKey,
    model: input.model,
    runtime,
    handlers,
    hasParent: input.parent !== undefined,
    ...(input.parent?.catchesErrors ? { parentCatchesErrors: input.parent.catchesErrors } : {}),
    ...(input.resume ? { snapshot: input.resume } : {}),
    ...(input.limits ? { limits: input.limits } : {}),
    batching: { innerPerStep: INNER_INSTANCES_PER_STEP, enabled: () => wf.patched(BATCHED_ACTIVATION_PATCH) },
    ...(input.variableLimits ? { variableLimits: input.variableLimits } : {}),
    // Only diagrams with limits ask (and so mark their history): instances started before clocks existed replay without them.
    slaClocks: modelHasLimits(input.model) && wf.patched(SLA_CLOCKS_PATCH),
  });

  const instanceMeta = {
    processInstanceKey: input.processInstanceKey,
    processDefinitionKey: input.processDefinitionKey,
    bpmnProcessId: input.model.id,
    processDefinitionVersion: input.processDefinitionVersion,
    ...(input.parent
      ? { parentProcessInstanceKey: input.parent.processInstanceKey, parentElementInstanceKey: input.parent.elementInstanceKey }
      : {}),
  };

  /**
   * A message whose subscription closed meanwhile goes back to the buffer (for the rest of its time
   * to live), so that it is not lost.
   */
  function deliverOrReturn(m: DeliveredMessage): void {
    if (!engine.deliverMessage(m)) effect(definitions.returnMessage({ messageKey: m.messageKey }));
  }

  /** Writes pending events to PostgreSQL; buffered messages that match new subscriptions come back. */
  async function flush(): Promise<void> {
    const ticket = appliedTicket;
    for (;;) {
      const events = engine.drainEvents();
      // SLA clocks waiting for their policy or calendar are resolved in the same activity.
      const clocks = engine.sla.takeRequests();
      if (events.length === 0 && clocks.length === 0) break;
      let res: Awaited<ReturnType<typeof projections.recordEvents>>;
      try {
        res = await projections.recordEvents({ instance: instanceMeta, events, ...(clocks.length > 0 ? { clocks } : {}) });
      } catch (err) {
        // PostgreSQL refuses the batch however it is written: skip it (the next batch moves past its
        // sequence numbers) and say so in an incident rather than retry for ever.
        if (failureType(err) !== PROJECTION_DATA_ERROR || events.length === 0) throw err;
        engine.sla.requeue(clocks);
        engine.readModelAltered(failureMessage(err), { from: events[0]!.seq, to: events[events.length - 1]!.seq });
        continue;
      }
      for (const m of res.delivered) deliverOrReturn(m);
      if (res.unstorable) engine.readModelAltered(res.unstorable);
      if (res.clocks) engine.clocksResolved(res.clocks);
    }
    flushedTicket = Math.max(flushedTicket, ticket);
  }

  /**
   * Runs an accepted Update's `apply` in the main loop; resolves once its effects are projected.
   * Temporal records an Update's acceptance only when the workflow task ends, and local activities
   * (the projection) run before that: so the handler first ends the workflow task by awaiting a no-op
   * activity (a 1 ms timer did the same but fires only on the dev server's next timer tick, about 1 s).
   * Were Temporal to lose the Update, the read model never shows its effects (the task stays open).
   */
  async function viaInbox(apply: () => void): Promise<void> {
    if (wf.patched(UPDATE_ACCEPTED_FIRST_PATCH)) {
      await acknowledge.updateAccepted();
      if (engine.result) rejection(new RequestRejected('CONFLICT', `process instance ${input.processInstanceKey} has ended meanwhile`));
    }
    const ticket = ++ticketCounter;
    let failure: unknown;
    inbox.push(() => {
      try {
        apply();
      } catch (err) {
        failure = err;
      }
      appliedTicket = ticket;
    });
    await wf.condition(() => flushedTicket >= ticket);
    if (failure) rejection(failure);
  }

  wf.setHandler(
    completeUserTaskUpdate,
    (req) => viaInbox(() => engine.completeUserTask(req)),
    {
      validator: (req) => {
        try {
          engine.checkUserTaskCompletion(req);
        } catch (err) {
          rejection(err);
        }
      },
    },
  );
  wf.setHandler(resolveIncidentUpdate, ({ incidentKey }) => viaInbox(() => engine.resolveIncident(incidentKey)), {
    validator: ({ incidentKey }) => {
      if (!engine.state.incidents[incidentKey]) {
        rejection(new RequestRejected('NOT_FOUND', `incident ${incidentKey} is not open in process instance ${input.processInstanceKey}`));
      }
    },
  });
  wf.setHandler(setVariablesUpdate, (req) => viaInbox(() => engine.setVariables(req.elementInstanceKey, req.variables, req.local)), {
    validator: (req) => {
      try {
        engine.checkSetVariables(req.elementInstanceKey, req.variables);
      } catch (err) {
        rejection(err);
      }
    },
  });
  wf.setHandler(deliverMessageSignal, (m) => void inbox.push(() => deliverOrReturn(m)));
  wf.setHandler(deliverSignalSignal, (s) => void inbox.push(() => engine.deliverSignal(s.signalName, s.variables)));
  wf.setHandler(cancelSignal, () => void inbox.push(() => engine.cancel()));
  wf.setHandler(
    escalationFromChildSignal,
    (s) => void inbox.push(() => engine.childEscalated(s.elementInstanceKey, s.escalationCode, s.variables)),
  );
  wf.setHandler(snapshotQuery, () => engine.state);

  try {
    if (!input.resume) engine.start(input.variables, input.startElementId);
    for (const [key, job] of input.deferredJobs ?? []) runtime.startJob(key, job);
    for (;;) {
      await flush();
      if (engine.result) break;
      if (inbox.length === 0 && !engine.hasPendingWork()) {
        const due = engine.nextDueAt();
        if (due === undefined) await wf.condition(() => inbox.length > 0);
        else if (due > Date.now()) await wf.condition(() => inbox.length > 0, due - Date.now());
      }
      const info = wf.workflowInfo();
      continueAsNewDue = info.continueAsNewSuggested || info.historyLength > (input.historyLimit ?? HISTORY_EVENT_LIMIT);
      if (!continueAsNewDue && deferredJobs.size > 0) {
        const jobs = [...deferredJobs];
        deferredJobs.clear();
        for (const [key, job] of jobs) runtime.startJob(key, job);
      }
      while (inbox.length > 0) inbox.shift()!();
      engine.fireTimers(Date.now());
      // The next batch of a large multi-instance; flushing it at the top of the loop ends this activation.
      if (engine.hasPendingWork()) engine.resumePending();
      if (continueAsNewDue && !engine.hasInFlightWork(deferredJobs) && inbox.length === 0) {
        await flush();
        if (engine.result) break;
        // An Update past its acceptance timer pushes to the inbox: the loop must take it first.
        await wf.condition(() => wf.allHandlersFinished() || inbox.length > 0);
        if (inbox.length === 0) {
          await wf.continueAsNew<typeof processInstanceWorkflow>({ ...input, variables: {}, resume: engine.state, deferredJobs: [...deferredJobs] });
        }
      }
    }
  } catch (err) {
    if (!wf.isCancellation(err)) throw err;
    await wf.CancellationScope.nonCancellable(async () => {
      engine.cancel();
      await flush();
    });
  }
  // The caller must see an escalation before this instance's result (e.g. an escalation end event).
  await Promise.all(toParent);
  // Activities scheduled in the last step would be abandoned when the workflow completes.
  if (effects.length > 0 && wf.patched(AWAIT_EFFECTS_PATCH)) await Promise.all(effects);
  await wf.condition(wf.allHandlersFinished);
  return engine.result!;
}
