/** Bounds on what one uploaded file may cost: XML element count and compiled model size. */
import { describe, expect, it } from 'vitest';
import { compileBpmn, DEFAULT_MAX_ELEMENTS, DEFAULT_MAX_MODEL_BYTES, modelBytes } from '../../bpmn/index.js';
import { linear } from './xml.js';

const tasks = (n: number) => linear(Array.from({ length: n }, (_, i) => `<bpmn:task id="t${i}" name="任务 ${i}" />`).join('\n'), Array.from({ length: n }, (_, i) => `t${i}`));

describe('compile limits', () => {
  it('counts XML elements before parsing and refuses more than maxElements', async () => {
    const xml = tasks(30); // about 100 XML elements
    await expect(compileBpmn(xml, { maxElements: 200 })).resolves.toBeDefined();
    const refused = await compileBpmn(xml, { maxElements: 50 }).then(
      () => undefined,
      (e: { problems: { elementId: string; message: string }[] }) => e.problems,
    );
    expect(refused).toEqual([expect.objectContaining({ elementId: '(document)', message: expect.stringMatching(/^The BPMN file has \d+ XML elements; the limit is 50 /) })]);
    expect(DEFAULT_MAX_ELEMENTS).toBe(50_000);
  });

  it('refuses the reported 4.7 MB, 45,000-task upload with the defaults, before parsing it', async () => {
    const body = Array.from({ length: 45_000 }, (_, i) => `<bpmn:task id="t${i}" name="任务 ${i}" /><bpmn:sequenceFlow id="f${i}" sourceRef="t${i}" targetRef="t${i + 1}" />`);
    const xml = linear(body.join('\n'), []);
    expect(xml.length).toBeGreaterThan(4_000_000);
    const started = performance.now();
    const refused = await compileBpmn(xml).then(
      () => undefined,
      (e: { problems: { elementId: string; message: string }[] }) => e.problems,
    );
    expect(refused).toEqual([expect.objectContaining({ elementId: '(document)', message: expect.stringMatching(/^The BPMN file has 900\d\d XML elements; the limit is 50000 /) })]);
    // Parsing and compiling it took over 5 s; the scan before parsing is linear and quick.
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('refuses a process whose compiled model is larger than maxModelBytes, naming size and limit', async () => {
    const xml = tasks(40);
    const { processes } = await compileBpmn(xml);
    const size = modelBytes(processes[0]!);
    await expect(compileBpmn(xml, { maxModelBytes: size })).resolves.toBeDefined();
    const refused = await compileBpmn(xml, { maxModelBytes: size - 1 }).then(
      () => undefined,
      (e: { problems: { elementId: string; elementType: string; message: string }[] }) => e.problems,
    );
    expect(refused).toEqual([
      {
        elementId: 'p',
        elementType: 'bpmn:Process',
        message: expect.stringContaining(`(${size} bytes); the limit is 0.01 MiB (${size - 1} bytes, BPMN_MAX_MODEL_BYTES)`),
        code: 'bpmn.process.tooLarge',
        params: { processId: 'p', size: expect.any(String), bytes: size, maxSize: '0.01 MiB', maxBytes: size - 1 },
      },
    ]);
    expect(DEFAULT_MAX_MODEL_BYTES).toBe(1024 * 1024);
  });
});
