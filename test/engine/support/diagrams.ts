/** Diagrams shared by engine and security tests. */
import { ext, linear } from '../../bpmn/xml.js';

/** A parallel multi-instance user task over `items` (candidate group 营销部). */
export const MI_USER_TASK = linear(
  `<bpmn:userTask id="review" name="复核">${ext('<zeebe:userTask /><zeebe:assignmentDefinition candidateGroups="营销部" />')}
     <bpmn:multiInstanceLoopCharacteristics>${ext('<zeebe:loopCharacteristics inputCollection="=items" inputElement="item" />')}</bpmn:multiInstanceLoopCharacteristics>
   </bpmn:userTask>`,
  ['review'],
);
