/**
 * Deployments of the in-memory engine: BPMN compiled by the real compiler, versioned per process id
 * as the deploy service does (an identical resource is not versioned again), form-js forms embedded
 * in their user tasks, and the call-activity bindings (latest, deployment, versionTag).
 */
import { compileBpmn, hashResource, type ProcessModel } from '../../../bpmn/index.js';
import { parseFormSchema, type FormSpec } from '../../../bpmn/forms.js';
import { evalString } from '../../../workflows/engine/feel.js';
import { MemoryRejection } from './rejection.js';

export interface Resource {
  name: string;
  content: string;
}

export interface MemoryDefinition {
  key: string;
  processId: string;
  version: number;
  versionTag?: string;
  deploymentKey: string;
  resourceName: string;
  model: ProcessModel;
  hash: string;
}

export interface MemoryDeployment {
  deploymentKey: string;
  /** Every process of the deployment, including those identical to their latest version. */
  processes: MemoryDefinition[];
  /** The versions this deployment created. */
  created: MemoryDefinition[];
}

export class DefinitionStore {
  private readonly definitions: MemoryDefinition[] = [];
  private readonly forms: FormSpec[] = [];

  constructor(private readonly nextKey: () => string) {}

  async deploy(resources: Resource[]): Promise<MemoryDeployment> {
    if (resources.length === 0) throw new MemoryRejection('INVALID_ARGUMENT', 'No resources given: deploy one or more .bpmn or .form files');
    const compiled: Array<{ resource: Resource; models: ProcessModel[] }> = [];
    const forms: Array<{ resource: Resource; formId: string; spec: Omit<FormSpec, 'formKey' | 'version'> }> = [];
    for (const resource of resources) {
      if (/\.form$/i.test(resource.name)) {
        const parsed = parseFormSchema(resource.content, resource.name);
        forms.push({ resource, formId: parsed.formId, spec: parsed });
      } else if (/\.(bpmn|xml)$/i.test(resource.name)) {
        compiled.push({ resource, models: (await compileBpmn(resource.content)).processes });
      } else {
        throw new MemoryRejection('INVALID_ARGUMENT', `Resource '${resource.name}' is neither a BPMN diagram (.bpmn) nor a form (.form)`);
      }
    }
    const deploymentKey = this.nextKey();
    const inDeployment = new Map<string, FormSpec>();
    for (const f of forms) inDeployment.set(f.formId, this.storeForm(f.formId, f.spec.fields, hashResource(f.resource.content)));
    const processes: MemoryDefinition[] = [];
    const created: MemoryDefinition[] = [];
    for (const { resource, models } of compiled) {
      for (const model of models) {
        this.embedForms(model, inDeployment, resource.name);
        const formKeys = Object.values(model.nodes).flatMap((n) => (n.type === 'userTask' && n.form ? [n.form.formKey] : []));
        const hash = hashResource(resource.content + JSON.stringify(formKeys));
        const latest = this.latest(model.id);
        if (latest && latest.hash === hash) {
          processes.push(latest);
          continue;
        }
        const def: MemoryDefinition = {
          key: this.nextKey(),
          processId: model.id,
          version: (latest?.version ?? 0) + 1,
          ...(model.versionTag ? { versionTag: model.versionTag } : {}),
          deploymentKey,
          resourceName: resource.name,
          model,
          hash,
        };
        this.definitions.push(def);
        processes.push(def);
        created.push(def);
      }
    }
    return { deploymentKey, processes, created };
  }

  byKey(key: string): MemoryDefinition {
    const def = this.definitions.find((d) => d.key === key);
    if (!def) throw new MemoryRejection('NOT_FOUND', `Process definition with key '${key}' not found`);
    return def;
  }

  latest(processId: string): MemoryDefinition | undefined {
    let found: MemoryDefinition | undefined;
    for (const d of this.definitions) if (d.processId === processId && (!found || d.version > found.version)) found = d;
    return found;
  }

  version(processId: string, version: number): MemoryDefinition | undefined {
    return this.definitions.find((d) => d.processId === processId && d.version === version);
  }

  previousVersion(def: MemoryDefinition): MemoryDefinition | undefined {
    return this.definitions.find((d) => d.processId === def.processId && d.version === def.version - 1);
  }

  /** The latest version of every process, in process id order (as the message and signal start lookups read them). */
  latestOfEach(): MemoryDefinition[] {
    const ids = [...new Set(this.definitions.map((d) => d.processId))].sort();
    return ids.map((id) => this.latest(id)!);
  }

  /** The start events of the latest versions that a message or signal of this name starts. */
  startEventsFor(kind: 'message' | 'signal', name: string): Array<{ definition: MemoryDefinition; startEventId: string }> {
    const out: Array<{ definition: MemoryDefinition; startEventId: string }> = [];
    for (const definition of this.latestOfEach()) {
      for (const node of Object.values(definition.model.nodes)) {
        if (node.type !== 'startEvent' || node.parentId !== null || node.event.kind !== kind) continue;
        const expression = node.event.kind === 'message' ? node.event.messageName : node.event.kind === 'signal' ? node.event.signalName : '';
        if (staticName(expression) === name) out.push({ definition, startEventId: node.id });
      }
    }
    return out;
  }

  /** Resolves a call activity's target as the called-process activity does; throws with its message. */
  resolve(req: { processId: string; bindingType: 'latest' | 'deployment' | 'versionTag'; versionTag?: string }, caller: MemoryDefinition): MemoryDefinition {
    if (req.bindingType === 'latest') {
      const def = this.latest(req.processId);
      if (!def) throw new MemoryRejection('NOT_FOUND', `No process definition with id '${req.processId}' is deployed`);
      return def;
    }
    if (req.bindingType === 'deployment') {
      const def = this.definitions.find((d) => d.processId === req.processId && d.deploymentKey === caller.deploymentKey);
      if (!def) throw new MemoryRejection('NOT_FOUND', `Process '${req.processId}' was not deployed together with the calling process`);
      return def;
    }
    const tagged = this.definitions.filter((d) => d.processId === req.processId && d.versionTag === (req.versionTag ?? ''));
    const def = tagged.sort((a, b) => b.version - a.version)[0];
    if (!def) throw new MemoryRejection('NOT_FOUND', `No version of process '${req.processId}' has version tag '${req.versionTag}'`);
    return def;
  }

  private storeForm(formId: string, fields: FormSpec['fields'], hash: string): FormSpec {
    const versions = this.forms.filter((f) => f.formId === formId);
    const latest = versions[versions.length - 1];
    if (latest && this.formHashes.get(latest.formKey) === hash) return latest;
    const spec: FormSpec = { formId, formKey: this.nextKey(), version: (latest?.version ?? 0) + 1, fields };
    this.formHashes.set(spec.formKey, hash);
    this.forms.push(spec);
    return spec;
  }

  private readonly formHashes = new Map<string, string>();

  /** A user task's formId: a form of the same deployment, else the latest deployed version. */
  private embedForms(model: ProcessModel, inDeployment: Map<string, FormSpec>, resourceName: string): void {
    for (const node of Object.values(model.nodes)) {
      if (node.type !== 'userTask' || !node.formId) continue;
      const spec = inDeployment.get(node.formId) ?? this.forms.filter((f) => f.formId === node.formId).pop();
      if (!spec) {
        throw new MemoryRejection(
          'INVALID_ARGUMENT',
          `Resource '${resourceName}': user task ${node.id} uses form '${node.formId}', which is not deployed; deploy the .form file with the diagram or before it`,
        );
      }
      node.form = spec;
    }
  }
}

/** The name of a message or signal start event (a FEEL literal in the model); undefined when it needs variables. */
function staticName(expression: string): string | undefined {
  try {
    return evalString(expression, {}, 'name');
  } catch {
    return undefined;
  }
}
