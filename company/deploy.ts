/**
 * Deploying the company's processes at start (with the demo company, server/main.ts): every
 * `*.bpmn` of the processes directory (processes/, or PROCESSES_DIR) except the engine's example,
 * with the forms of its `forms/` subdirectory.
 *
 * - Forms first, then diagrams, each file in a deployment of its own: a file that cannot be
 *   deployed is reported by name and reason and the others still are (the start goes on).
 * - A file whose content is already the latest deployed version is not deployed again: no new
 *   version and no empty deployment on every start. A diagram is deployed again when a form
 *   changed (its user tasks then embed the new form version; services/definitions.ts versions it
 *   only if that changes anything).
 * - Diagrams compile with the SLA module's extension and are checked against the database (policies,
 *   calendars, departments) exactly as POST /v2/deployments does.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { compileBpmn, hashResource } from '../bpmn/index.js';
import type { EngineDeps } from '../services/deps.js';
import { deploy, type DeployOptions } from '../services/definitions.js';
import { slaCompilerExtension } from '../sla/compiler-extension.js';
import { checkSlaReferences } from '../sla/deploy-check.js';

/** Files of the processes directory that are not the company's processes. */
export const NOT_DEPLOYED_AT_START = ['example.bpmn'];
/** Who the start's deployments are recorded as created by. */
export const START_ACTOR = 'system:start';

export interface StartDeployment {
  /** Deployed now: file → what it holds ("fault-repair v2", "form fault-accept v1"). */
  deployed: Array<{ file: string; detail: string }>;
  /** Already the latest version. */
  unchanged: string[];
  /** Could not be deployed: file and reason. */
  failed: Array<{ file: string; reason: string }>;
}

export interface DeployDirectoryOptions {
  /** Limits of the compiler (server/config.ts deploy). */
  compile?: { maxElements?: number; maxModelBytes?: number; minTimerCycleMs?: number };
}

async function listFiles(dir: string, ext: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => f.endsWith(ext)).sort();
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return [];
    throw err;
  }
}

function reasonOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 1000 ? `${text.slice(0, 999)}…` : text;
}

/** Deploys what changed in `dir` (see the module comment); never throws for a single file. */
export async function deployProcessDirectory(deps: EngineDeps, dir: string, options: DeployDirectoryOptions = {}): Promise<StartDeployment> {
  const result: StartDeployment = { deployed: [], unchanged: [], failed: [] };
  const limits = options.compile ?? {};
  const deployOptions: DeployOptions = {
    compile: async (xml) => compileBpmn(xml, { extensions: [slaCompilerExtension], ...limits }),
    ...(limits.maxModelBytes ? { maxModelBytes: limits.maxModelBytes } : {}),
    checks: [checkSlaReferences],
  };

  const formsDir = path.join(dir, 'forms');
  let formChanged = false;
  for (const file of await listFiles(formsDir, '.form')) {
    const name = `forms/${file}`;
    try {
      const content = await readFile(path.join(formsDir, file), 'utf8');
      if (await formIsCurrent(deps, content)) {
        result.unchanged.push(name);
        continue;
      }
      const out = await deploy(deps, [{ name: file, content }], START_ACTOR, deployOptions);
      formChanged = true;
      const form = out.deployments.flatMap((d) => ('form' in d ? [d.form] : []))[0];
      result.deployed.push({ file: name, detail: form ? `form ${form.formId} v${form.version}` : 'form' });
    } catch (err) {
      result.failed.push({ file: name, reason: reasonOf(err) });
    }
  }

  for (const file of await listFiles(dir, '.bpmn')) {
    if (NOT_DEPLOYED_AT_START.includes(file)) continue;
    try {
      const content = await readFile(path.join(dir, file), 'utf8');
      if (!formChanged && (await diagramIsCurrent(deps, file, content))) {
        result.unchanged.push(file);
        continue;
      }
      const out = await deploy(deps, [{ name: file, content }], START_ACTOR, deployOptions);
      const processes = out.deployments.flatMap((d) => ('processDefinition' in d ? [d.processDefinition] : []));
      result.deployed.push({ file, detail: processes.map((p) => `${p.processDefinitionId} v${p.processDefinitionVersion}`).join(', ') });
    } catch (err) {
      result.failed.push({ file, reason: reasonOf(err) });
    }
  }
  return result;
}

async function formIsCurrent(deps: EngineDeps, content: string): Promise<boolean> {
  let id: unknown;
  try {
    id = (JSON.parse(content) as { id?: unknown }).id;
  } catch {
    return false; // deploy() names the problem
  }
  if (typeof id !== 'string') return false;
  const { rows } = await deps.pool.query<{ hash: string }>('SELECT hash FROM form WHERE form_id = $1 ORDER BY version DESC LIMIT 1', [id]);
  return rows[0]?.hash === hashResource(content);
}

/** True when every process deployed from this file has this content as its latest version. */
async function diagramIsCurrent(deps: EngineDeps, file: string, content: string): Promise<boolean> {
  const { rows } = await deps.pool.query<{ xml: string }>(
    `SELECT DISTINCT ON (bpmn_process_id) xml FROM process_definition
      WHERE bpmn_process_id IN (SELECT bpmn_process_id FROM process_definition WHERE resource_name = $1)
      ORDER BY bpmn_process_id, version DESC`,
    [file],
  );
  return rows.length > 0 && rows.every((r) => r.xml === content);
}

/** One line for the start-up progress: "deployed a.bpmn (a v1); unchanged b.bpmn; failed c.bpmn". */
export function describeStartDeployment(r: StartDeployment): string {
  const parts: string[] = [];
  if (r.deployed.length) parts.push(`deployed ${r.deployed.map((d) => `${d.file} (${d.detail})`).join(', ')}`);
  if (r.unchanged.length) parts.push(`unchanged ${r.unchanged.join(', ')}`);
  if (r.failed.length) parts.push(`NOT deployed ${r.failed.map((f) => f.file).join(', ')}`);
  return parts.join('; ') || 'no diagrams';
}
