/**
 * Every signal, update and query of the process-instance workflow, defined once and shared by the
 * workflow and the server (the server imports this file; it holds no workflow logic).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { DeliveredMessage, EngineSnapshot, Variables } from './types.js';

export interface CompleteUserTaskRequest {
  userTaskKey: string;
  variables: Variables;
  /** Who completed it (recorded in history and audit). */
  completedBy?: string;
}

/** Complete a user task. The validator refuses an unknown or finished task before it enters history. */
export const completeUserTaskUpdate = defineUpdate<void, [CompleteUserTaskRequest]>('completeUserTask');

/** Set variables on an element instance's scope (local) or where they already exist (propagated). */
export const setVariablesUpdate = defineUpdate<void, [{ elementInstanceKey: string; variables: Variables; local: boolean }]>('setVariables');

/** Resolve an incident: re-run the failed job or step. */
export const resolveIncidentUpdate = defineUpdate<void, [{ incidentKey: string }]>('resolveIncident');

/** A published message correlated to this instance by the server (or buffered and matched later). */
export const deliverMessageSignal = defineSignal<[DeliveredMessage]>('deliverMessage');

/** A broadcast BPMN signal. */
export const deliverSignalSignal = defineSignal<[{ signalName: string; variables: Variables }]>('deliverSignal');

/**
 * An escalation that nothing caught inside a called instance: it continues at the call activity
 * (`elementInstanceKey`) in the calling instance, as in Camunda 8.
 */
export const escalationFromChildSignal = defineSignal<[{ elementInstanceKey: string; escalationCode: string; variables: Variables }]>(
  'escalationFromChild',
);

/** Cancel the process instance: every element is terminated. */
export const cancelSignal = defineSignal<[]>('cancelProcessInstance');

/** The engine state, for diagnostics and tests. */
export const snapshotQuery = defineQuery<EngineSnapshot>('snapshot');
