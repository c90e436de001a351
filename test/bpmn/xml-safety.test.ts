import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../bpmn/index.js';
import { assertSafeXml } from '../../bpmn/xml-safety.js';
import { problemsOf } from './helpers.js';
import { linear } from './xml.js';

const valid = linear('<bpmn:task id="t" />', ['t']);

describe('XML safety', () => {
  it('accepts an ordinary diagram', async () => {
    await expect(compileBpmn(valid)).resolves.toBeDefined();
  });

  it('refuses input above the size limit (default 5 MB)', async () => {
    const big = valid.replace('<bpmn:task id="t" />', `<bpmn:task id="t" />\n<!--${'x'.repeat(5 * 1024 * 1024)}-->`);
    const [problem] = await problemsOf(big);
    expect(problem).toMatchObject({ elementId: '(document)' });
    expect(problem!.message).toContain('larger than the limit of 5242880 bytes');
  });

  it('takes the size limit as a parameter and counts UTF-8 bytes', async () => {
    const chinese = linear('<bpmn:task id="t" name="业扩报装业扩报装业扩报装" />', ['t']);
    const bytes = Buffer.byteLength(chinese, 'utf8');
    await expect(compileBpmn(chinese, { maxBytes: bytes })).resolves.toBeDefined();
    await expect(compileBpmn(chinese, { maxBytes: bytes - 1 })).rejects.toThrow(/larger than the limit/);
  });

  it('refuses a DOCTYPE with entities (billion laughs) without expanding it', async () => {
    const lol = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"><bpmn:process id="p" name="&lol9;" /></bpmn:definitions>`;
    const started = Date.now();
    const [problem] = await problemsOf(lol);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(problem!.elementId).toBe('(document)');
    expect(problem!.message).toContain('<!DOCTYPE declaration');
    expect(problem!.message).toContain('entity');
  });

  it('refuses an external entity declaration', async () => {
    const xxe = valid.replace('<bpmn:definitions', '<!ENTITY xxe SYSTEM "file:///etc/passwd">\n<bpmn:definitions');
    const [problem] = await problemsOf(xxe);
    expect(problem!.message).toContain('<!ENTITY declaration');
  });

  it('refuses 10k-deep nesting quickly', async () => {
    const deep = `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</bpmn:definitions>`;
    const started = Date.now();
    const [problem] = await problemsOf(deep);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(problem).toMatchObject({ elementId: '(document)' });
    expect(problem!.message).toContain('deeper than 200 levels');
  });

  it('takes the depth limit as a parameter', () => {
    const nested = `<a>${'<b>'.repeat(5)}${'</b>'.repeat(5)}</a>`;
    expect(() => assertSafeXml(nested, { maxDepth: 6 })).not.toThrow();
    expect(() => assertSafeXml(nested, { maxDepth: 5 })).toThrow(/deeper than 5 levels/);
  });

  it('does not count self-closing tags, comments or ">" inside attribute values as nesting', () => {
    const xml = `<a x="1 > 0" y='<b>'>${'<c/>'.repeat(500)}<!-- <d><d><d> --><![CDATA[<e><e>]]></a>`;
    expect(() => assertSafeXml(xml, { maxDepth: 1 })).not.toThrow();
  });

  it('refuses non-XML', async () => {
    const [problem] = await problemsOf('{"not": "xml"}');
    expect(problem).toMatchObject({ elementId: '(document)' });
    expect(problem!.message).toContain('is not XML');
    await expect(problemsOf('   ')).resolves.toMatchObject([{ elementId: '(document)', message: expect.stringContaining('empty') }]);
  });

  it('refuses XML that is not well-formed, naming the line', async () => {
    const broken = valid.replace('<bpmn:task id="t" />', '<bpmn:task id="t">');
    const problems = await problemsOf(broken);
    expect(problems[0]!.elementId).toBe('(document)');
    expect(problems[0]!.message).toMatch(/line \d+/);
  });

  it('refuses XML whose root is not bpmn:definitions', async () => {
    const problems = await problemsOf('<foo xmlns="urn:x"><bar/></foo>');
    expect(problems[0]!.elementId).toBe('(document)');
  });
});

describe('XML syntax errors that the parser recovers from', () => {
  it('are reported alone, without follow-on problems from the skipped content', async () => {
    const xml = linear(
      '<bpmn:scriptTask id="t"><bpmn:extensionElements><zeebe:script expression="="a"" resultVariable="r" /></bpmn:extensionElements></bpmn:scriptTask>',
      ['t'],
    );
    const problems = await problemsOf(xml);
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) {
      expect(p.elementId).toBe('(document)');
      expect(p.message).toMatch(/The XML is not well-formed near <zeebe:script> \(line \d+, column \d+\)/);
    }
  });
});
