// Workflow entry points registered with the worker (workflowsPath points here).
export { processInstanceWorkflow } from './process-instance.js';
export { timerStartWorkflow } from './timer-start.js';
