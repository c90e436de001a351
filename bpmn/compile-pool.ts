/**
 * Compiling off the event loop: a small pool of worker threads (1-4, default 1) runs compileBpmn,
 * so a large diagram cannot block the HTTP server. Each compilation has a time bound (the thread
 * is terminated and replaced when it is exceeded) and a memory bound; waiting compilations are
 * limited too (CompilerBusyError beyond that). One request at a time per thread, first come first
 * served. Only plain data crosses to the thread: compiler extensions are named by the URL of a
 * module that exports `compilerExtension`, which the thread imports.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CompiledResource } from './compile.js';
import { BpmnCompileError, type CompileProblem, type ProcessModel } from './model.js';
import { documentError } from './problems.js';
import type { XmlSafetyLimits } from './xml-safety.js';
import { msg } from './messages.js';

/** The data-only compile options. */
export interface CompileLimits extends XmlSafetyLimits {
  maxModelBytes?: number;
  minTimerCycleMs?: number;
}

export interface CompilePoolOptions {
  /** Worker threads, 1-4. */
  size?: number;
  /** Longest compilation in milliseconds before it is abandoned as too large. */
  timeoutMs?: number;
  /** Compilations that may wait for a free thread; more are refused with CompilerBusyError. */
  maxQueue?: number;
  /** Heap of each thread in MB. */
  maxHeapMb?: number;
  /**
   * Compiler extensions of product modules, as URLs of modules that export `compilerExtension`
   * (code cannot cross to a thread; the thread imports them). E.g. sla/compiler-extension.ts.
   */
  extensionModules?: string[];
}

export interface WorkerRequest {
  /** UTF-8 bytes of the file, transferred (not copied) to the thread, which decodes them. */
  xml: Uint8Array;
  limits: CompileLimits;
  /** URLs of modules exporting `compilerExtension` (product modules' moddle extensions), loaded once per thread. */
  extensions: string[];
}
export type WorkerReply =
  | { ready: true }
  | { ok: true; processes: ProcessModel[] }
  | { ok: false; problems: CompileProblem[] }
  | { ok: false; error: string };

/** Every thread is busy and the queue is full: try again shortly (HTTP 503). */
export class CompilerBusyError extends Error {
  constructor(waiting: number) {
    super(`The BPMN compiler is busy (${waiting} diagrams waiting); try again in a few seconds.`);
    this.name = 'CompilerBusyError';
  }
}

interface Job {
  request: WorkerRequest;
  resolve(result: CompiledResource): void;
  reject(err: Error): void;
}

interface Slot {
  worker?: Worker;
  /** The thread has loaded the compiler (loading takes seconds from TypeScript sources). */
  ready?: boolean;
  job?: Job;
  timer?: NodeJS.Timeout;
}

export const DEFAULT_COMPILE_TIMEOUT_MS = 20_000;
/** Longest start of a thread (loading the compiler), not counted in the compile time bound. */
const STARTUP_TIMEOUT_MS = 60_000;

export class CompilePool {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private readonly timeoutMs: number;
  private readonly maxQueue: number;
  private readonly maxHeapMb: number;
  private readonly extensionModules: string[];
  private closed = false;

  constructor(options: CompilePoolOptions = {}) {
    const size = options.size ?? 1;
    if (!Number.isInteger(size) || size < 1 || size > 4) throw new RangeError(`compile pool size ${size}: expected 1-4`);
    this.slots = Array.from({ length: size }, () => ({}));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_COMPILE_TIMEOUT_MS;
    this.maxQueue = options.maxQueue ?? 20;
    this.maxHeapMb = options.maxHeapMb ?? 1024;
    this.extensionModules = options.extensionModules ?? [];
  }

  /** Compiles in a worker thread; rejects with BpmnCompileError, CompilerBusyError or Error. */
  compile(xml: string | Uint8Array, limits: CompileLimits = {}): Promise<CompiledResource> {
    if (this.closed) return Promise.reject(new Error('The compile pool is closed'));
    if (this.queue.length >= this.maxQueue) return Promise.reject(new CompilerBusyError(this.queue.length));
    return new Promise((resolve, reject) => {
      const bytes = typeof xml === 'string' ? Buffer.from(xml, 'utf8') : xml;
      this.queue.push({ request: { xml: bytes, limits, extensions: this.extensionModules }, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every thread; waiting and running compilations fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('The compile pool was closed'));
    await Promise.all(this.slots.map((slot) => this.stop(slot, new Error('The compile pool was closed'))));
  }

  /** Starts the threads now, so that the first deployment does not wait for them to load. */
  warm(): void {
    for (const slot of this.slots) if (!this.closed) slot.worker ??= this.spawn(slot);
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      const worker = (slot.worker ??= this.spawn(slot));
      if (slot.ready) this.startClock(slot);
      const { buffer } = job.request.xml;
      const transferable = buffer instanceof ArrayBuffer && buffer.byteLength === job.request.xml.byteLength;
      worker.postMessage(job.request, transferable ? [buffer] : []);
    }
  }

  /** The compile time bound runs while the thread works on the job, not while it loads. */
  private startClock(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = setTimeout(() => {
      const seconds = this.timeoutMs / 1000;
      void this.stop(
        slot,
        documentError(msg('bpmn.compile.timeout', { seconds })),
      );
    }, this.timeoutMs);
  }

  private spawn(slot: Slot): Worker {
    const worker = startWorker(this.maxHeapMb);
    worker.unref();
    slot.ready = false;
    slot.timer = setTimeout(() => void this.stop(slot, new Error('The BPMN compiler thread did not start within 60 s')), STARTUP_TIMEOUT_MS);
    worker.on('message', (reply: WorkerReply) => {
      if (!('ready' in reply)) return this.finish(slot, reply);
      slot.ready = true;
      clearTimeout(slot.timer);
      if (slot.job) this.startClock(slot);
    });
    worker.on('error', (err) => {
      const tooLarge = (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      const failure = tooLarge
        ? documentError(msg('bpmn.compile.outOfMemory'))
        : err;
      void this.stop(slot, failure);
    });
    worker.on('exit', () => {
      if (slot.worker === worker) void this.stop(slot, new Error('The BPMN compiler thread stopped unexpectedly'));
    });
    return worker;
  }

  private finish(slot: Slot, reply: Exclude<WorkerReply, { ready: true }>): void {
    const job = slot.job;
    clearTimeout(slot.timer);
    slot.job = undefined;
    if (job) {
      if (reply.ok) job.resolve({ processes: reply.processes });
      else if ('problems' in reply) job.reject(new BpmnCompileError(reply.problems));
      else job.reject(new Error(`The BPMN compiler failed: ${reply.error}`));
    }
    this.dispatch();
  }

  /** Terminates the slot's thread (a new one starts for the next job) and fails its job. */
  private async stop(slot: Slot, reason: Error): Promise<void> {
    const { worker, job } = slot;
    clearTimeout(slot.timer);
    slot.worker = undefined;
    slot.ready = false;
    slot.job = undefined;
    job?.reject(reason);
    if (worker) await worker.terminate();
    if (!this.closed) this.dispatch();
  }
}

/**
 * Starts compile-worker.ts. Run from TypeScript sources (tsx, vitest), the thread loads it through
 * tsx's loader; from compiled JavaScript it is imported directly.
 */
function startWorker(maxHeapMb: number): Worker {
  const entry = new URL(import.meta.url.endsWith('.ts') ? './compile-worker.ts' : './compile-worker.js', import.meta.url).href;
  // An eval'd thread resolves bare names from the working directory: hand it tsx's absolute URL.
  // (require.resolve finds the CommonJS build; its ES module sibling is the one that works here.)
  const tsxApi = entry.endsWith('.ts')
    ? pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href
    : '';
  const bootstrap = entry.endsWith('.ts')
    ? `import(${JSON.stringify(tsxApi)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}));`
    : `import(${JSON.stringify(entry)});`;
  return new Worker(bootstrap, { eval: true, resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } });
}
