import { describe, expect, it } from 'vitest';
import { compileBpmn, type CompilerExtension } from '../../bpmn/index.js';
import { expectProblem } from './helpers.js';
import { ext, linear } from './xml.js';

const descriptor = {
  name: 'Test SLA',
  uri: 'http://example.com/schema/test-sla',
  prefix: 'tsla',
  xml: { tagAlias: 'lowerCase' },
  types: [{ name: 'Sla', superClass: ['Element'], properties: [{ name: 'limit', isAttr: true, type: 'String' }] }],
};

const slaExtension: CompilerExtension = {
  prefix: 'tsla',
  descriptor,
  applyToNode({ node, extensions, report }) {
    const sla = extensions[0];
    if (!sla) return;
    const limit = typeof sla['limit'] === 'string' ? sla['limit'] : '';
    if (!limit.startsWith('P')) report(`SLA limit "${limit}" must be an ISO 8601 duration.`);
    else node.sla = { duration: JSON.stringify(limit), timeBase: 'natural', departments: [] };
  },
};

const xml = (limit: string) =>
  linear(`<bpmn:userTask id="u">${ext(`<tsla:sla limit="${limit}" />`)}</bpmn:userTask>`, ['u']).replace(
    'xmlns:bpmn=',
    'xmlns:tsla="http://example.com/schema/test-sla" xmlns:bpmn=',
  );

describe('compiler extensions', () => {
  it('hand their extension elements to the extension, which fills the model', async () => {
    const { processes } = await compileBpmn(xml('P3D'), { extensions: [slaExtension] });
    expect(processes[0]!.nodes['u']!.sla).toEqual({ duration: '"P3D"', timeBase: 'natural', departments: [] });
  });

  it('problems reported by the extension refuse the diagram', async () => {
    await expect(compileBpmn(xml('3 days'), { extensions: [slaExtension] })).rejects.toThrow(/u \(bpmn:UserTask\): SLA limit "3 days"/);
  });

  it('without the extension its elements are unknown', async () => {
    await expectProblem(xml('P3D'), 'u', 'Unknown extension element <tsla:sla>');
  });
});
