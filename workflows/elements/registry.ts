/** Element type → handler. Adding an element type to the model without a handler fails to compile. */
import type { ElementType, NodeOf } from '../../bpmn/model.js';
import { callActivity } from './containers/call-activity.js';
import { subProcess } from './containers/sub-process.js';
import { boundaryEvent } from './events/boundary-event.js';
import { endEvent } from './events/end-event.js';
import { intermediateCatchEvent } from './events/intermediate-catch-event.js';
import { intermediateThrowEvent } from './events/intermediate-throw-event.js';
import { startEvent } from './events/start-event.js';
import { eventBasedGateway } from './gateways/event-based-gateway.js';
import { exclusiveGateway } from './gateways/exclusive-gateway.js';
import { inclusiveGateway } from './gateways/inclusive-gateway.js';
import { parallelGateway } from './gateways/parallel-gateway.js';
import type { ElementHandler } from './handler.js';
import { jobTask } from './tasks/job-task.js';
import { passThrough } from './tasks/pass-through.js';
import { receiveTask } from './tasks/receive-task.js';
import { scriptTask } from './tasks/script-task.js';
import { userTask } from './tasks/user-task.js';

export const handlers = {
  startEvent,
  endEvent,
  intermediateCatchEvent,
  intermediateThrowEvent,
  boundaryEvent,
  task: passThrough,
  manualTask: passThrough,
  userTask,
  serviceTask: jobTask,
  sendTask: jobTask,
  scriptTask,
  receiveTask,
  exclusiveGateway,
  inclusiveGateway,
  parallelGateway,
  eventBasedGateway,
  subProcess,
  callActivity,
} satisfies { [T in ElementType]: ElementHandler<NodeOf<T>> };
