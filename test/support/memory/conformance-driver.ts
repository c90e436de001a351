/** The conformance driver of the in-memory engine (test/conformance/memory.test.ts). */
import type { ConformanceDriver } from '../conformance.js';
import type { MemoryEngine } from './engine.js';

export function memoryDriver(mem: MemoryEngine): ConformanceDriver {
  const incident = (pi: string, elementId: string) =>
    mem.waitFor(`an incident on ${elementId}`, () => mem.incidents({ processInstanceKey: pi, elementId, state: 'ACTIVE' })[0]);
  const called = (pi: string, processId: string) => mem.instances({ parentProcessInstanceKey: pi, processId });
  return {
    async deploy(fileName, xml) {
      const deployment = await mem.deploy({ name: fileName, content: xml });
      return new Map(deployment.processes.map((d) => [d.processId, d.key]));
    },
    start: (processId, variables) => mem.start(processId, variables),
    publish: async (message) => void (await mem.publish(message)),
    async broadcast(signal, waitingInstance) {
      if (waitingInstance) {
        await mem.waitFor(`a subscription to signal ${signal.signalName}`, () => mem.read.hasSignalSubscription(waitingInstance, signal.signalName));
      }
      await mem.broadcast(signal.signalName, signal.variables ?? {});
    },
    awaitTimerStarts: (definitionKey, startEventId) => mem.timerStartsDone(definitionKey, startEventId),
    async instancesOf(definitionKey, count) {
      const found = await mem.waitFor(`${count} instance(s) of ${definitionKey}`, () => {
        const keys = mem.instances({ processDefinitionKey: definitionKey }).map((i) => i.processInstanceKey);
        return keys.length >= count && keys;
      });
      return found;
    },
    async completeTask(pi, elementId, variables) {
      const task = await mem.waitFor(`user task ${elementId} of ${pi}`, () => mem.userTasks({ processInstanceKey: pi, elementId, state: 'CREATED' })[0]);
      await mem.completeTask(task.userTaskKey, variables);
    },
    async waitForElement(pi, elementId, count) {
      await mem.waitFor(`${count} × element ${elementId} active`, () => {
        const scopes = [mem.instance(pi), ...mem.instances({ parentProcessInstanceKey: pi })];
        const active = scopes.flatMap((i) => [...i.elements.values()]).filter((e) => e.elementId === elementId && e.state === 'ACTIVE');
        return active.length >= count;
      });
    },
    incident,
    resolveIncident: (incidentKey) => mem.resolveIncident(incidentKey),
    cancel: (pi) => mem.cancel(pi),
    waitForEnd: async (pi) => void (await mem.waitForEnd(pi)),
    calledInstance: (pi, processId) => mem.waitFor(`the ${processId} instance called by ${pi}`, () => called(pi, processId)[0]?.processInstanceKey),
    async calledInstancesIn(pi, processId, state) {
      await mem.waitFor(`instances of ${processId} called by ${pi} to be ${state}`, () => {
        const items = called(pi, processId);
        return items.length > 0 && items.every((i) => i.state === state);
      });
    },
    state: async (pi) => mem.instance(pi).state,
    path: async (pi) => [...mem.instance(pi).path],
    variables: async (pi) => mem.variables(pi),
  };
}
