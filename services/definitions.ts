/** Deployments and process definitions: compile, version, store (immutable), look up. */
import { CompilerBusyError } from '../bpmn/compile-pool.js';
import { compileBpmn, DEFAULT_MAX_MODEL_BYTES, hashResource, isBpmnCompileError, modelSizeProblem, type CompiledResource } from '../bpmn/index.js';
import { ProcessModel, startFormOf } from '../bpmn/model.js';
import { FormField, type FormSchemaError, type FormSpec, parseFormSchema } from '../bpmn/forms.js';
import { allocateKey, type Queryable } from '../db/keys.js';
import { DEPLOYMENT_LOCK_ID } from '../db/locks.js';
import { inTransaction } from '../db/transaction.js';
import { DEFAULT_TENANT, type EngineDeps } from './deps.js';
import { ServiceError } from './errors.js';
import { replaceStartSubscriptions } from './start-subscriptions.js';
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

export interface DeployedForm {
  formId: string;
  version: number;
  resourceName: string;
  tenantId: string;
  formKey: string;
}

export interface DeploymentResult {
  deploymentKey: string;
  tenantId: string;
  deployments: Array<{ processDefinition: DeployedProcess } | { form: DeployedForm }>;
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

export interface DeployOptions {
  /** How a BPMN file is compiled; default compileBpmn in this thread (the HTTP route uses a worker pool). */
  compile?: (xml: string) => Promise<CompiledResource>;
  /** Largest model (bytes of JSON) once its forms are embedded; default 1 MiB (bpmn/model-size.ts). */
  maxModelBytes?: number;
  /**
   * Checks of product modules that need the database (e.g. the SLA module: named policies, calendars
   * and departments exist); their problems refuse the resource as compile problems do.
   */
  checks?: ReadonlyArray<(db: Queryable, models: readonly ProcessModel[]) => Promise<Array<{ elementId: string; elementType: string; message: string }>>>;
}

interface CompiledBpmn {
  resource: DeployResource;
  models: ProcessModel[];
}
interface ParsedForm {
  resource: DeployResource;
  formId: string;
  fields: FormField[];
  hash: string;
}

/** Compiles every resource first; nothing is stored unless all of them are deployable. */
async function compileAll(db: Queryable, resources: DeployResource[], options: DeployOptions): Promise<{ bpmn: CompiledBpmn[]; forms: ParsedForm[] }> {
  const compile = options.compile ?? ((xml: string) => compileBpmn(xml));
  if (resources.length === 0) throw new ServiceError('INVALID_ARGUMENT', 'No resources given: send one or more .bpmn or .form files as "resources"');
  const bpmn: CompiledBpmn[] = [];
  const forms: ParsedForm[] = [];
  for (const resource of resources) {
    if (/\.form$/i.test(resource.name)) {
      try {
        forms.push({ resource, ...parseFormSchema(resource.content, resource.name), hash: hashResource(resource.content) });
      } catch (err) {
        // The parser's own refusals are plain Errors; a TypeError and the like is internal text and stays out of the answer.
        const own = err instanceof Error && err.constructor === Error;
        const detail = own ? err.message : `Form '${resource.name}' is not a form-js form: expected a JSON object with "id" and "components"`;
        const coded = own ? (err as FormSchemaError).coded : undefined;
        throw new ServiceError('INVALID_ARGUMENT', detail, { resourceName: resource.name, ...(coded ?? {}) });
      }
      continue;
    }
    if (!/\.(bpmn|xml)$/i.test(resource.name)) {
      throw new ServiceError('INVALID_ARGUMENT', `Resource '${resource.name}' is neither a BPMN diagram (.bpmn) nor a form (.form)`);
    }
    try {
      bpmn.push({ resource, models: (await compile(resource.content)).processes });
    } catch (err) {
      if (err instanceof CompilerBusyError) throw new ServiceError('UNAVAILABLE', err.message);
      if (isBpmnCompileError(err)) {
        throw new ServiceError('INVALID_ARGUMENT', `Resource '${resource.name}' cannot be deployed: ${err.message}`, {
          resourceName: resource.name,
          problems: err.problems,
        });
      }
      throw err;
    }
    const models = bpmn[bpmn.length - 1]!.models;
    const problems = (await Promise.all((options.checks ?? []).map((check) => check(db, models)))).flat();
    if (problems.length > 0) {
      const detail = problems.map((p) => `${p.elementId} (${p.elementType}): ${p.message}`).join('; ');
      throw new ServiceError('INVALID_ARGUMENT', `Resource '${resource.name}' cannot be deployed: ${detail}`, { resourceName: resource.name, problems });
    }
  }
  return { bpmn, forms };
}

/**
 * Deploys BPMN diagrams and form-js forms. A user task's formId is resolved to a form of the same
 * deployment, else the latest deployed version, and embedded in the process version. A resource
 * identical to its latest version (including the forms it embeds) is not versioned again.
 */
export async function deploy(
  deps: EngineDeps,
  resources: DeployResource[],
  createdBy?: string,
  options: DeployOptions = {},
): Promise<DeploymentResult> {
  const compiled = await compileAll(deps.pool, resources, options);
  const deployed: DeploymentResult['deployments'] = [];
  const changed: ProcessDefinitionRow[] = [];
  const deploymentKey = await inTransaction(deps.pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [DEPLOYMENT_LOCK_ID]);
    const deploymentKey = await allocateKey(client);
    await client.query('INSERT INTO deployment (key, created_by) VALUES ($1, $2)', [deploymentKey, createdBy ?? null]);
    const formsById = new Map<string, FormSpec>();
    for (const f of compiled.forms) {
      const spec = await storeForm(client, deploymentKey, f);
      formsById.set(f.formId, spec);
      deployed.push({ form: { formId: f.formId, version: spec.version, resourceName: f.resource.name, tenantId: DEFAULT_TENANT, formKey: spec.formKey } });
    }
    for (const { resource, models } of compiled.bpmn) {
      for (const model of models) {
        await embedForms(client, model, formsById, resource.name);
        assertModelFits(model, resource.name, options.maxModelBytes ?? DEFAULT_MAX_MODEL_BYTES);
        const hash = hashResource(resource.content + JSON.stringify(embeddedFormKeys(model)));
        const { rows } = await client.query<{ key: string; version: number; hash: string }>(
          'SELECT key::text, version, hash FROM process_definition WHERE bpmn_process_id = $1 AND tenant_id = $2 ORDER BY version DESC LIMIT 1',
          [model.id, DEFAULT_TENANT],
        );
        const latest = rows[0];
        if (latest && latest.hash === hash) {
          deployed.push({ processDefinition: describe(model.id, latest.version, resource.name, latest.key) });
          continue;
        }
        const key = await allocateKey(client);
        const version = (latest?.version ?? 0) + 1;
        await client.query(
          `INSERT INTO process_definition (key, bpmn_process_id, version, name, version_tag, resource_name, deployment_key, xml, model, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [key, model.id, version, model.name ?? null, model.versionTag ?? null, resource.name, deploymentKey, resource.content, JSON.stringify(model), hash],
        );
        await replaceStartSubscriptions(client, { key, bpmn_process_id: model.id, tenant_id: DEFAULT_TENANT, model });
        deployed.push({ processDefinition: describe(model.id, version, resource.name, key) });
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
    return deploymentKey;
  });
  for (const def of changed) await syncTimerStarts(deps, def);
  return { deploymentKey, tenantId: DEFAULT_TENANT, deployments: deployed };
}

async function storeForm(client: Queryable, deploymentKey: string, f: ParsedForm): Promise<FormSpec> {
  const { rows } = await client.query<{ key: string; version: number; hash: string; fields: FormField[] }>(
    'SELECT key::text, version, hash, fields FROM form WHERE form_id = $1 AND tenant_id = $2 ORDER BY version DESC LIMIT 1',
    [f.formId, DEFAULT_TENANT],
  );
  const latest = rows[0];
  if (latest && latest.hash === f.hash) return { formId: f.formId, formKey: latest.key, version: latest.version, fields: latest.fields };
  const key = await allocateKey(client);
  const version = (latest?.version ?? 0) + 1;
  await client.query(
    'INSERT INTO form (key, form_id, version, resource_name, deployment_key, schema, fields, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [key, f.formId, version, f.resource.name, deploymentKey, f.resource.content, JSON.stringify(f.fields), f.hash],
  );
  return { formId: f.formId, formKey: key, version, fields: f.fields };
}

/** Forms by formId: user-task forms and the start form (the compiler allows formDefinition on those only). */
async function embedForms(client: Queryable, model: ProcessModel, inDeployment: Map<string, FormSpec>, resourceName: string): Promise<void> {
  for (const node of Object.values(model.nodes)) {
    if ((node.type !== 'userTask' && node.type !== 'startEvent') || !node.formId) continue;
    let spec = inDeployment.get(node.formId);
    if (!spec) {
      const { rows } = await client.query<{ key: string; version: number; fields: FormField[] }>(
        'SELECT key::text, version, fields FROM form WHERE form_id = $1 AND tenant_id = $2 ORDER BY version DESC LIMIT 1',
        [node.formId, DEFAULT_TENANT],
      );
      if (rows[0]) spec = { formId: node.formId, formKey: rows[0].key, version: rows[0].version, fields: rows[0].fields };
    }
    if (!spec) {
      const what = node.type === 'userTask' ? 'user task' : 'start event';
      throw new ServiceError('INVALID_ARGUMENT', `Resource '${resourceName}': ${what} ${node.id} uses form '${node.formId}', which is not deployed; deploy the .form file with the diagram or before it`,
        { resourceName, elementId: node.id, formId: node.formId, code: 'formSchema.notDeployed', params: { resource: resourceName, elementId: node.id, formId: node.formId } },
      );
    }
    node.form = spec;
  }
}

/** Embedded forms make a model larger than the compiler saw it: check the final size. */
function assertModelFits(model: ProcessModel, resourceName: string, maxBytes: number): void {
  const problem = modelSizeProblem(model, maxBytes);
  if (!problem) return;
  throw new ServiceError('INVALID_ARGUMENT', `Resource '${resourceName}' cannot be deployed: ${problem.message}`, {
    resourceName,
    problems: [problem],
  });
}

function embeddedFormKeys(model: ProcessModel): string[] {
  return Object.values(model.nodes).flatMap((n) => ((n.type === 'userTask' || n.type === 'startEvent') && n.form ? [n.form.formKey] : []));
}

/** A deployed form as the /v2 API shows it (task form, start form): the form-js schema as JSON text. */
export interface FormDocument {
  formKey: string;
  formId: string;
  version: number;
  schema: string;
  tenantId: string;
}

/** The stored schema of an embedded form's version. */
export async function formDocument(deps: Pick<EngineDeps, 'pool'>, form: FormSpec): Promise<FormDocument> {
  const { rows } = await deps.pool.query<{ schema: unknown; tenant_id: string }>('SELECT schema, tenant_id FROM form WHERE key = $1', [form.formKey]);
  return { formKey: form.formKey, formId: form.formId, version: form.version, schema: JSON.stringify(rows[0]?.schema ?? {}), tenantId: rows[0]?.tenant_id ?? DEFAULT_TENANT };
}

/**
 * The start form of a process definition (its none start event's deployed form), undefined when it
 * has none; NOT_FOUND for an unknown definition.
 */
export async function startForm(deps: Pick<EngineDeps, 'pool'>, processDefinitionKey: string): Promise<FormSpec | undefined> {
  const { rows } = await deps.pool.query<{ model: Pick<ProcessModel, 'nodes'> }>(
    "SELECT jsonb_build_object('nodes', model->'nodes') AS model FROM process_definition WHERE key = $1",
    [processDefinitionKey],
  );
  if (!rows[0]) throw new ServiceError('NOT_FOUND', `Process definition with key '${processDefinitionKey}' not found`);
  return startFormOf(rows[0].model);
}

function describe(id: string, version: number, resourceName: string, key: string): DeployedProcess {
  return { processDefinitionId: id, processDefinitionVersion: version, resourceName, tenantId: DEFAULT_TENANT, processDefinitionKey: key };
}

/** A stored model is checked again on its way out of the database (zod at every boundary). */
function checked(row: ProcessDefinitionRow): ProcessDefinitionRow {
  const parsed = ProcessModel.safeParse(row.model);
  if (!parsed.success) {
    throw new Error(
      `The stored model of process definition ${row.key} (${row.bpmn_process_id} v${row.version}) is invalid: ${parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return { ...row, model: parsed.data };
}

export async function getDefinition(deps: Pick<EngineDeps, 'pool'>, key: string): Promise<ProcessDefinitionRow> {
  const { rows } = await deps.pool.query<ProcessDefinitionRow>(`SELECT ${DEFINITION_COLUMNS} FROM process_definition WHERE key = $1`, [key]);
  if (!rows[0]) throw new ServiceError('NOT_FOUND', `Process definition with key '${key}' not found`);
  return checked(rows[0]);
}

export async function latestDefinition(deps: Pick<EngineDeps, 'pool'>, bpmnProcessId: string, version?: number): Promise<ProcessDefinitionRow> {
  const { rows } = await deps.pool.query<ProcessDefinitionRow>(
    `SELECT ${DEFINITION_COLUMNS} FROM process_definition WHERE bpmn_process_id = $1 AND ($2::int IS NULL OR version = $2)
      ORDER BY version DESC LIMIT 1`,
    [bpmnProcessId, version ?? null],
  );
  if (!rows[0]) {
    const which = version ? ` in version ${version}` : '';
    throw new ServiceError('NOT_FOUND', `No process definition with id '${bpmnProcessId}'${which} is deployed`);
  }
  return checked(rows[0]);
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
    if (!rows[0]) throw new ServiceError('NOT_FOUND', `Process '${req.processId}' was not deployed together with the calling process`);
    return checked(rows[0]);
  }
  const { rows } = await deps.pool.query<ProcessDefinitionRow>(
    `SELECT ${DEFINITION_COLUMNS} FROM process_definition WHERE bpmn_process_id = $1 AND version_tag = $2 ORDER BY version DESC LIMIT 1`,
    [req.processId, req.versionTag ?? ''],
  );
  if (!rows[0]) throw new ServiceError('NOT_FOUND', `No version of process '${req.processId}' has version tag '${req.versionTag}'`);
  return checked(rows[0]);
}
