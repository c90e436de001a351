/**
 * Issue 7 item 1, unit level: cancelling an instance with N active multi-instance children does work
 * linear in N. Counted, not timed: every read of an element instance by key and every walk over all
 * instances is counted through a proxy on the engine's instance table.
 */
import { describe, expect, it } from 'vitest';
import { MI_USER_TASK } from './support/diagrams.js';
import { memoryEngine } from './support/memory-engine.js';

/** Starts an instance with `n` parallel user tasks, then counts instance-table accesses during cancel(). */
async function cancelWork(n: number): Promise<{ reads: number; walks: number; activeTasks: number; ended: string | undefined }> {
  const e = await memoryEngine(MI_USER_TASK);
  e.engine.start({ items: Array.from({ length: n }, (_, i) => i) });
  const activeTasks = Object.values(e.engine.state.instances).filter((i) => i.elementId === 'review' && i.loopCounter !== undefined).length;
  const counts = { reads: 0, walks: 0 };
  e.engine.state.instances = new Proxy(e.engine.state.instances, {
    get(target, key, receiver) {
      counts.reads += 1;
      return Reflect.get(target, key, receiver) as unknown;
    },
    ownKeys(target) {
      counts.walks += 1;
      return Reflect.ownKeys(target);
    },
  });
  e.engine.drainEvents();
  e.engine.cancel();
  const canceled = e.engine.drainEvents().filter((ev) => ev.type === 'USER_TASK_ENDED' && ev.state === 'CANCELED').length;
  expect(canceled).toBe(n);
  return { ...counts, activeTasks, ended: e.engine.result?.outcome };
}

describe('termination of a large multi-instance', () => {
  it('touches each element instance a bounded number of times and never walks the whole table per child', async () => {
    const small = await cancelWork(500);
    const large = await cancelWork(2000);
    expect(small.activeTasks).toBe(500);
    expect(large.activeTasks).toBe(2000);
    expect(large.ended).toBe('terminated');
    // Quadratic work would multiply the count by 16 for 4 times the children.
    expect(large.reads / small.reads).toBeLessThan(4.5);
    expect(large.reads).toBeLessThan(20 * 2000);
    expect(large.walks).toBeLessThanOrEqual(small.walks);
  });

  it('activates and cancels 10,000 parallel user tasks in well under a workflow task deadline', async () => {
    const e = await memoryEngine(MI_USER_TASK);
    const items = Array.from({ length: 10_000 }, (_, i) => i);
    let t = performance.now();
    e.engine.start({ items });
    const activation = performance.now() - t;
    expect(e.engine.drainEvents().filter((ev) => ev.type === 'USER_TASK_CREATED')).toHaveLength(10_000);
    t = performance.now();
    e.engine.cancel();
    const cancel = performance.now() - t;
    expect(e.engine.result?.outcome).toBe('terminated');
    expect(Object.keys(e.engine.state.instances)).toEqual([]);
    // Generous bounds for a loaded 2-core machine; before the fix cancelling alone took minutes.
    expect(activation).toBeLessThan(3000);
    expect(cancel).toBeLessThan(3000);
  });
});

describe('batched activation of a large parallel multi-instance', () => {
  const inner = (e: Awaited<ReturnType<typeof memoryEngine>>) =>
    Object.values(e.engine.state.instances).filter((i) => i.elementId === 'review' && i.loopCounter !== undefined).length;

  it('creates at most the batch per step and the rest in later steps, in order', async () => {
    const e = await memoryEngine(MI_USER_TASK, { batching: { innerPerStep: 100, enabled: () => true } });
    e.engine.start({ items: Array.from({ length: 250 }, (_, i) => i) });
    expect(inner(e)).toBe(100);
    expect(e.engine.hasPendingWork()).toBe(true);
    expect(e.engine.hasInFlightWork()).toBe(true);
    e.engine.resumePending();
    expect(inner(e)).toBe(200);
    e.engine.resumePending();
    expect(inner(e)).toBe(250);
    expect(e.engine.hasPendingWork()).toBe(false);
    const counters = Object.values(e.engine.state.instances).flatMap((i) => (i.loopCounter !== undefined ? [i.loopCounter] : []));
    expect(counters).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
  });

  it('stops creating when the instance is cancelled in between', async () => {
    const e = await memoryEngine(MI_USER_TASK, { batching: { innerPerStep: 100, enabled: () => true } });
    e.engine.start({ items: Array.from({ length: 250 }, (_, i) => i) });
    e.engine.cancel();
    e.engine.resumePending();
    expect(e.engine.state.instances).toEqual({});
    expect(e.engine.result).toEqual({ outcome: 'terminated' });
  });

  it('spawns everything at once when batching is not enabled (histories recorded before it)', async () => {
    const e = await memoryEngine(MI_USER_TASK, { batching: { innerPerStep: 100, enabled: () => false } });
    e.engine.start({ items: Array.from({ length: 250 }, (_, i) => i) });
    expect(inner(e)).toBe(250);
    expect(e.engine.hasPendingWork()).toBe(false);
  });
});
