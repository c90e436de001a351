/**
 * A stored diagram is served back as XML. An <?xml-stylesheet?> processing instruction would make a
 * browser that opens it run an XSLT stylesheet, which can produce HTML with script: only the XML
 * declaration at the start is accepted.
 */
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../bpmn/index.js';
import { problemsOf } from '../bpmn/helpers.js';
import { processXml } from '../bpmn/xml.js';

const valid = processXml('<bpmn:startEvent id="s" />');

describe('processing instructions', () => {
  it('accepts the XML declaration at the start (with or without a byte order mark)', async () => {
    expect(valid.startsWith('<?xml version="1.0"')).toBe(true);
    await expect(compileBpmn(valid)).resolves.toBeDefined();
    await expect(compileBpmn(`\ufeff${valid}`)).resolves.toBeDefined();
  });

  it.each([
    ['a stylesheet before the root', valid.replace('\n<bpmn:definitions', '\n<?xml-stylesheet type="text/xsl" href="data:text/xsl;base64,PHg+"?>\n<bpmn:definitions'), 'xml-stylesheet'],
    ['a stylesheet inside the document', valid.replace('<bpmn:startEvent', '<?xml-stylesheet href="evil.xsl"?><bpmn:startEvent'), 'xml-stylesheet'],
    ['any other instruction', valid.replace('<bpmn:startEvent', '<?php echo 1; ?><bpmn:startEvent'), 'php'],
    ['a second XML declaration', valid.replace('<bpmn:startEvent', '<?xml version="1.0"?><bpmn:startEvent'), 'xml'],
  ])('refuses %s, naming it and the line', async (_, xml, target) => {
    const problems = await problemsOf(xml);
    expect(problems).toEqual([
      expect.objectContaining({
        elementId: '(document)',
        message: expect.stringMatching(new RegExp(`^The BPMN file contains the processing instruction <\\?${target} …\\?> \\(line \\d+\\)`)),
      }),
    ]);
  });
});
