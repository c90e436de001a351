/**
 * Worker-thread side of compile-pool.ts: compiles one diagram per message and answers with the
 * models, the compile problems, or an unexpected error's text. Plain data only crosses the thread.
 */
import { getPriority, setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { compileBpmn } from './compile.js';
import type { CompileLimits, WorkerReply, WorkerRequest } from './compile-pool.js';
import type { CompilerExtension } from './extension.js';
import { isBpmnCompileError } from './problems.js';

const port = parentPort;
if (!port) throw new Error('compile-worker.ts runs only as a worker thread (see compile-pool.ts)');

const COMPILE_NICE = 15;
// On Linux the nice value belongs to the thread: compiling yields the CPU to the HTTP thread.
if (process.platform === 'linux') {
  try {
    setPriority(Math.max(getPriority(), COMPILE_NICE));
  } catch {
    // not allowed here: compile at the same priority
  }
}

port.on('message', (request: WorkerRequest) => {
  void answer(new TextDecoder().decode(request.xml), request.limits, request.extensions).then((reply) => port.postMessage(reply));
});

/** Product modules' compiler extensions, imported once per thread. */
const extensionModules = new Map<string, Promise<CompilerExtension>>();
function loadExtension(url: string): Promise<CompilerExtension> {
  let loaded = extensionModules.get(url);
  if (!loaded) {
    loaded = (import(url) as Promise<{ compilerExtension?: CompilerExtension }>).then((m) => {
      if (!m.compilerExtension) throw new Error(`${url} does not export compilerExtension`);
      return m.compilerExtension;
    });
    extensionModules.set(url, loaded);
  }
  return loaded;
}
// A first compilation loads what the compiler loads lazily, so no real one pays for it.
const WARM_UP =
  '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"><bpmn:process id="p" isExecutable="true">' +
  '<bpmn:startEvent id="s" /><bpmn:endEvent id="e" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e" /></bpmn:process></bpmn:definitions>';
void answer(WARM_UP, {}, []).then(() => port.postMessage({ ready: true } satisfies WorkerReply));

async function answer(xml: string, limits: CompileLimits, extensionUrls: string[]): Promise<WorkerReply> {
  try {
    const extensions = await Promise.all(extensionUrls.map(loadExtension));
    return { ok: true, processes: (await compileBpmn(xml, { ...limits, extensions })).processes };
  } catch (err) {
    if (isBpmnCompileError(err)) return { ok: false, problems: err.problems };
    return { ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
}
