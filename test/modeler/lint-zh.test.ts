/** Chinese for the Camunda compatibility lint messages (modeler/src/views/modeler/lint-zh.ts). */
import { describe, expect, it } from 'vitest';
import { lintMessageZh } from '../../modeler/src/views/modeler/lint-zh.js';

describe('lint messages in Chinese', () => {
  it.each([
    ['Element of type <bpmn:UserTask> must have one extension element of type <zeebe:FormDefinition>', '用户任务 <bpmn:UserTask> 必须有一个扩展元素 表单 <zeebe:FormDefinition>'],
    ['Element of type <bpmn:ServiceTask> must have property <taskDefinition>', '服务任务 <bpmn:ServiceTask> 必须设置属性 <taskDefinition>'],
    ['Element of type <zeebe:TaskDefinition> must have property <type>', '任务定义 <zeebe:TaskDefinition> 必须设置属性 类型 <type>'],
    ['Element of type <zeebe:CalledElement> must have property <processId> or <processIdExpression>', '被调用流程 <zeebe:CalledElement> 必须设置属性 被调用流程 ID <processId> 或 <processIdExpression>'],
    ['Element of type <bpmn:ComplexGateway> not allowed', '不支持 <bpmn:ComplexGateway>'],
    ['Element of type <bpmn:InclusiveGateway> only allowed by Camunda 8.1 or newer', '包容网关 <bpmn:InclusiveGateway> 需要 Camunda 8.1 或更新版本'],
    ['Property <candidateUsers> only allowed by Camunda 8.2 or newer', '属性 候选人 <candidateUsers> 需要 Camunda 8.2 或更新版本'],
    ['Property <conditionExpression> must have expression value', '属性 条件 <conditionExpression> 必须是表达式（以 = 开头）'],
    ['Property <timeDuration> is not a valid FEEL expression', '属性 定时时长 <timeDuration> 不是有效的 FEEL 表达式'],
    ['Extension element of type <zeebe:CalledDecision> not allowed', '不支持扩展元素 <zeebe:CalledDecision>'],
    ['Multiple elements of type <bpmn:StartEvent> with no event definition not allowed as children of <bpmn:Process>', '一个流程中只能有一个不带事件定义的开始事件'],
    ['Process is missing start event', '流程缺少开始事件'],
    ['Loop detected: a -> b -> a', '检测到循环：a -> b -> a'],
    ['Property value of <PT4H> not allowed', '不允许的属性值 <PT4H>'],
    // A value whose own brackets break the shape stays English rather than garbled.
    ['Property value of <a>b> not allowed', 'Property value of <a>b> not allowed'],
    // Unknown shapes stay English.
    ['Something else entirely', 'Something else entirely'],
  ])('%s', (english, chinese) => {
    expect(lintMessageZh(english)).toBe(chinese);
  });
});
