/** Deployments and process definitions: compile, version, store (immutable), look up. */
import { compileBpmn, hashResource, isBpmnCompileError } from '../../bpmn/index.js';
import type { ProcessModel } from '../../bpmn/model.js';
import { allocateKey } from '../../db/keys.js';
import { DEFAULT_TENANT, EngineError, type EngineDeps } from './deps.js';
import { syncTimerStarts } from './timer-starts.js';

export interface DeployResource {
  name: string;
  content: string;
}

export interface DeployedProcess {
  processDefinitionId: string;
  processDefinitionVersion: number;
  resourceName: string;
  tenantId: string;
  processDefinitionKey: string;
}

export interface DeploymentResult {
  deploymentKey: string;
  tenantId: string;
  deployments: Array<{ processDefinition: DeployedProcess }>;
}

export interface ProcessDefinitionRow {
  key: string;
  bpmn_process_id: string;
  version: number;
  name: string | null;
  version_tag: string | null;
  resource_name: string;
  deployment_key: string;
  tenant_id: string;
  model: ProcessModel;
}

export const DEFINITION_COLUMNS =
  'key::text, bpmn_process_id, version, name, version_tag, resource_name, deployment_key::text, tenant_id, model';

/**
 * Deploys BPMN resources. Each resource is compiled first; nothing is stored unless every resource
 * compiles. A process whose XML hash equals its latest version's is not versioned again.
 */
export async function deploy(deps: EngineDeps, resources: DeployResource[], createdBy?: string): Promise<DeploymentResult> {
  if (resources.length === 0) throw new EngineError(400, 'INVALID_ARGUMENT', 'No resources given: send one or more .bpmn files as "resources"');
  const compiled: Array<{ resource: DeployResource; models: ProcessModel[]; hash: string }> = [];
  for (const resource of resources) {
    if (!/\.(bpmn|xml)$/i.test(resource.name)) {
      throw new EngineError(400, 'INVALID_ARGUMENT', `Resource '${resource.name}' is not a BPMN file; only .bpmn resources can be deployed`);
    }
    try {
      const { processes } = await compileBpmn(resource.content);
      compiled.push({ resource, models: processes, hash: hashResource(resource.content) });
    } catch (err) {
      if (isBpmnCompileError(err)) {
        throw new EngineError(400, 'INVALID_ARGUMENT', `Resource '${resource.name}' cannot be deployed: ${err.message}`, {
          resourceName: resource.name,
          problems: err.problems,
        });
      }
      throw err;
    }
  }
  const client = await deps.pool.connect();
  const deployed: DeployedProcess[] = [];
  const changed: ProcessDefinitionRow[] = [];
  let deploymentKey: string;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(740391002)');
    deploymentKey = await allocateKey(client);
    await client.query('INSERT INTO deployment (key, created_by) VALUES ($1, $2)', [deploymentKey, createdBy ?? null]);
    for (const { resource, models, hash } of compiled) {
      for (const model of models) {
        const { rows } = await client.query<{ key: string; version: number; hash: string }>(
          'SELECT key::text, version, hash FROM process_definition WHERE bpmn_process_id = $1 AND tenant_id = $2 ORDER BY version DESC LIMIT 1',
          [model.id, DEFAULT_TENANT],
        );
        const latest = rows[0];
        if (latest && latest.hash === hash) {
          deployed.push(describe(model.id, latest.version, resource.name, latest.key));
          continue;
        }
        const key = await allocateKey(client);
        const version = (latest?.version ?? 0) + 1;
        await client.query(
          `INSERT INTO process_definition (key, bpmn_process_id, version, name, version_tag, resource_name, deployment_key, xml, model, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [key, model.id, version, model.name ?? null, model.versionTag ?? null, resource.name, deploymentKey, resource.content, JSON.stringify(model), hash],
        );
        deployed.push(describe(model.id, version, resource.name, key));
        changed.push({
          key,
          bpmn_process_id: model.id,
          version,
          name: model.name ?? null,
          version_tag: model.versionTag ?? null,
          resource_name: resource.name,
          deployment_key: deploymentKey,
          tenant_id: DEFAULT_TENANT,
          model,
        });
      }
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
  for (const def of changed) await syncTimerStarts(deps, def);
  return { deploymentKey, tenantId: DEFAULT_TENANT, deployments: deployed.map((processDefinition) => ({ processDefinition })) };
}

function describe(id: string, version: number, resourceName: string, key: string): DeployedProcess {
  return { processDefinitionId: id, processDefinitionVersion: version, resourceName, tenantId: DEFAULT_TENANT, processDefinitionKey: key };
}

export async function getDefinition(deps: Pick<EngineDeps, 'pool'>, key: string): Promise<ProcessDefinitionRow> {
  const { rows } = await deps.pool.query<ProcessDefinitionRow>(`SELECT ${DEFINITION_COLUMNS} FROM process_definition WHERE key = $1`, [key]);
  if (!rows[0]) throw new EngineError(404, 'NOT_FOUND', `Process definition with key '${key}' not found`);
  return rows[0];
}

export async function latestDefinition(deps: Pick<EngineDeps, 'pool'>, bpmnProcessId: string, version?: number): Promise<ProcessDefinitionRow> {
  const { rows } = await deps.pool.query<ProcessDefinitionRow>(
    `SELECT ${DEFINITION_COLUMNS} FROM process_definition WHERE bpmn_process_id = $1 AND ($2::int IS NULL OR version = $2)
      ORDER BY version DESC LIMIT 1`,
    [bpmnProcessId, version ?? null],
  );
  if (!rows[0]) {
    const which = version ? ` in version ${version}` : '';
    throw new EngineError(404, 'NOT_FOUND', `No process definition with id '${bpmnProcessId}'${which} is deployed`);
  }
  return rows[0];
}

/** The latest version of every process (for message and signal start events). */
export async function latestDefinitions(deps: Pick<EngineDeps, 'pool'>): Promise<ProcessDefinitionRow[]> {
  const { rows } = await deps.pool.query<ProcessDefinitionRow>(
    `SELECT DISTINCT ON (bpmn_process_id) ${DEFINITION_COLUMNS} FROM process_definition ORDER BY bpmn_process_id, version DESC`,
  );
  return rows;
}

/** Resolves a call activity's target according to its binding type. */
export async function resolveBinding(
  deps: Pick<EngineDeps, 'pool'>,
  req: { processId: string; bindingType: 'latest' | 'deployment' | 'versionTag'; versionTag?: string; callerProcessDefinitionKey: string },
): Promise<ProcessDefinitionRow> {
  if (req.bindingType === 'latest') return latestDefinition(deps, req.processId);
  if (req.bindingType === 'deployment') {
    const { rows } = await deps.pool.query<ProcessDefinitionRow>(
      `SELECT ${DEFINITION_COLUMNS} FROM process_definition
        WHERE bpmn_process_id = $1 AND deployment_key = (SELECT deployment_key FROM process_definition WHERE key = $2)`,
      [req.processId, req.callerProcessDefinitionKey],
    );
    if (!rows[0]) throw new EngineError(404, 'NOT_FOUND', `Process '${req.processId}' was not deployed together with the calling process`);
    return rows[0];
  }
  const { rows } = await deps.pool.query<ProcessDefinitionRow>(
    `SELECT ${DEFINITION_COLUMNS} FROM process_definition WHERE bpmn_process_id = $1 AND version_tag = $2 ORDER BY version DESC LIMIT 1`,
    [req.processId, req.versionTag ?? ''],
  );
  if (!rows[0]) throw new EngineError(404, 'NOT_FOUND', `No version of process '${req.processId}' has version tag '${req.versionTag}'`);
  return rows[0];
}
