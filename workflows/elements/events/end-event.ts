import type { NodeOf } from '../../../bpmn/model.js';
import type { ElementHandler } from '../handler.js';
import { jobTask } from '../tasks/job-task.js';
import { throwAndComplete } from './throw-behaviour.js';

export const endEvent: ElementHandler<NodeOf<'endEvent'>> = {
  activate: throwAndComplete,
  terminate: jobTask.terminate as ElementHandler<NodeOf<'endEvent'>>['terminate'],
};
