/** The worker-thread compile pool: same results as compileBpmn, bounded in time and queue length. */
import { afterEach, describe, expect, it } from 'vitest';
import { CompilePool, CompilerBusyError } from '../../bpmn/compile-pool.js';
import { compileBpmn, isBpmnCompileError } from '../../bpmn/index.js';
import { linear } from './xml.js';

const tasks = (n: number) => linear(Array.from({ length: n }, (_, i) => `<bpmn:task id="t${i}" />`).join('\n'), Array.from({ length: n }, (_, i) => `t${i}`));

const pools: CompilePool[] = [];
function pool(options: ConstructorParameters<typeof CompilePool>[0]): CompilePool {
  const p = new CompilePool(options);
  pools.push(p);
  return p;
}

afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
});

describe('CompilePool', () => {
  it('compiles in a thread exactly as compileBpmn does, and passes the limits and the problems across', async () => {
    const p = pool({ size: 1 });
    const xml = tasks(3);
    expect(await p.compile(xml)).toEqual(await compileBpmn(xml));
    const err = await p.compile(xml, { maxElements: 5 }).catch((e: unknown) => e);
    expect(isBpmnCompileError(err)).toBe(true);
    expect((err as { problems: { message: string }[] }).problems[0]!.message).toMatch(/XML elements; the limit is 5 /);
  }, 60_000);

  it('stops a compilation over its time bound, names the bound, and compiles the next file in a new thread', async () => {
    const p = pool({ size: 1, timeoutMs: 400 }); // 8,000 tasks take 1-2 s to compile here
    p.warm();
    const slow = await p.compile(tasks(8000), { maxModelBytes: 10_000_000 }).catch((e: unknown) => e);
    expect(isBpmnCompileError(slow), JSON.stringify(slow)?.slice(0, 300)).toBe(true);
    expect((slow as Error).message).toContain('took longer than 0.4 s (BPMN_COMPILE_TIMEOUT_MS) and was stopped');
    // The thread was replaced; loading the new one does not count against the bound.
    const next = await p.compile(tasks(2));
    expect(Object.keys(next.processes[0]!.nodes)).toEqual(['start', 't0', 't1', 'end']);
  }, 120_000);

  it('refuses more waiting compilations than maxQueue with CompilerBusyError', async () => {
    const p = pool({ size: 1, maxQueue: 1 });
    const first = p.compile(tasks(5));
    const second = p.compile(tasks(5));
    await expect(p.compile(tasks(5))).rejects.toBeInstanceOf(CompilerBusyError);
    await expect(Promise.all([first, second])).resolves.toHaveLength(2);
  }, 60_000);

  it('fails waiting and new compilations once closed', async () => {
    const p = pool({ size: 1 });
    const pending = p.compile(tasks(5)).catch((e: unknown) => e);
    await p.close();
    expect(await pending).toEqual(new Error('The compile pool was closed'));
    await expect(p.compile(tasks(1))).rejects.toThrow(/closed/);
  }, 60_000);
});
