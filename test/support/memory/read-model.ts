/**
 * The in-memory read model: what the projection (db/migrations/0006_record_events.sql) writes to
 * PostgreSQL, kept in maps with the same rules. Element instances (the path is their activation
 * order), variables of every scope, user tasks, incidents, message and signal subscriptions, and the
 * message buffer: a subscription that opens takes the oldest unexpired buffered message with its name
 * and correlation key, as the SQL function does.
 */
import type { DeliveredMessage, EngineEvent, IncidentType, Variables } from '../../../workflows/types.js';
import { MemoryRejection } from './rejection.js';

export type InstanceState = 'ACTIVE' | 'COMPLETED' | 'TERMINATED';

export interface ElementRow {
  key: string;
  elementId: string;
  elementType: string;
  flowScopeKey: string | null;
  state: InstanceState;
  incidentKey?: string;
}

export interface UserTaskRow {
  userTaskKey: string;
  processInstanceKey: string;
  elementId: string;
  name?: string;
  state: 'CREATED' | 'COMPLETED' | 'CANCELED';
  assignee?: string;
  candidateGroups: string[];
  candidateUsers: string[];
  dueDate?: string;
  followUpDate?: string;
  priority: number;
  formKey?: string;
  formId?: string;
  completedVariables?: Variables;
}

export interface IncidentRow {
  incidentKey: string;
  processInstanceKey: string;
  elementInstanceKey: string;
  elementId: string;
  errorType: IncidentType;
  errorMessage: string;
  state: 'ACTIVE' | 'RESOLVED';
}

export interface InstanceRow {
  processInstanceKey: string;
  processDefinitionKey: string;
  processId: string;
  version: number;
  parentProcessInstanceKey?: string;
  parentElementInstanceKey?: string;
  state: InstanceState;
  /** Element ids in activation order, without the process and multi-instance bodies. */
  path: string[];
  elements: Map<string, ElementRow>;
}

interface MessageRow {
  key: string;
  name: string;
  correlationKey: string;
  messageId?: string;
  variables: Variables;
  expiresAt: number;
  correlatedTo?: string;
}

interface SubscriptionRow {
  elementInstanceKey: string;
  elementId: string;
  processInstanceKey: string;
  name: string;
  correlationKey: string;
  deliveredMessageKey?: string;
}

/** Values cross the workflow boundary and the database as JSON. */
export function json<T>(value: T): T {
  return value === undefined ? (null as T) : (JSON.parse(JSON.stringify(value)) as T);
}

export class ReadModel {
  readonly instances = new Map<string, InstanceRow>();
  /** Variables by scope key (the process instance key is the root scope). */
  readonly variables = new Map<string, Variables>();
  readonly userTasks = new Map<string, UserTaskRow>();
  readonly incidents = new Map<string, IncidentRow>();
  private readonly messages: MessageRow[] = [];
  private readonly messageSubscriptions = new Map<string, SubscriptionRow>();
  private readonly signalSubscriptions = new Map<string, SubscriptionRow>();

  /** Writes a batch of engine events; returns the buffered messages that subscriptions opened in it took. */
  record(pi: string, events: EngineEvent[], now: number): Array<DeliveredMessage & { elementInstanceKey: string }> {
    const inst = this.instances.get(pi);
    if (!inst) throw new Error(`read model: process instance ${pi} was not created`);
    const delivered: Array<DeliveredMessage & { elementInstanceKey: string }> = [];
    for (const ev of events) {
      switch (ev.type) {
        case 'ELEMENT':
          if (ev.elementType === 'process' && (ev.state === 'COMPLETED' || ev.state === 'TERMINATED')) inst.state = ev.state;
          if (ev.state === 'ACTIVATING' && !inst.elements.has(ev.key)) {
            inst.elements.set(ev.key, { key: ev.key, elementId: ev.elementId, elementType: ev.elementType, flowScopeKey: ev.flowScopeKey, state: 'ACTIVE' });
            if (ev.elementType !== 'process' && ev.elementType !== 'multiInstanceBody') inst.path.push(ev.elementId);
          } else if (ev.state === 'COMPLETED' || ev.state === 'TERMINATED') {
            const row = inst.elements.get(ev.key);
            if (row) row.state = ev.state;
          }
          break;
        case 'VARIABLE': {
          const scope = this.variables.get(ev.scopeKey) ?? {};
          scope[ev.name] = json(ev.value ?? null);
          this.variables.set(ev.scopeKey, scope);
          break;
        }
        case 'USER_TASK_CREATED':
          if (!this.userTasks.has(ev.key)) {
            const { type: _t, seq: _s, at: _a, key, customHeaders: _h, ...rest } = ev;
            this.userTasks.set(key, { ...json(rest), userTaskKey: key, processInstanceKey: pi, state: 'CREATED' });
          }
          break;
        case 'USER_TASK_ENDED': {
          const task = this.userTasks.get(ev.key);
          if (task) {
            task.state = ev.state;
            if (ev.variables) task.completedVariables = json(ev.variables);
          }
          break;
        }
        case 'INCIDENT_CREATED':
          if (!this.incidents.has(ev.key)) {
            this.incidents.set(ev.key, {
              incidentKey: ev.key,
              processInstanceKey: pi,
              elementInstanceKey: ev.elementInstanceKey,
              elementId: ev.elementId,
              errorType: ev.errorType,
              errorMessage: ev.message,
              state: 'ACTIVE',
            });
          }
          if (inst.elements.get(ev.elementInstanceKey)) inst.elements.get(ev.elementInstanceKey)!.incidentKey = ev.key;
          break;
        case 'INCIDENT_RESOLVED': {
          const inc = this.incidents.get(ev.key);
          if (inc) inc.state = 'RESOLVED';
          for (const row of inst.elements.values()) if (row.incidentKey === ev.key) delete row.incidentKey;
          break;
        }
        case 'MESSAGE_SUBSCRIPTION_OPENED': {
          const msg = this.messages.find(
            (m) => m.name === ev.messageName && m.correlationKey === ev.correlationKey && m.correlatedTo === undefined && m.expiresAt > now,
          );
          if (msg) msg.correlatedTo = pi;
          const id = `${ev.elementInstanceKey}/${ev.elementId}`;
          if (!this.messageSubscriptions.has(id)) {
            this.messageSubscriptions.set(id, {
              elementInstanceKey: ev.elementInstanceKey,
              elementId: ev.elementId,
              processInstanceKey: pi,
              name: ev.messageName,
              correlationKey: ev.correlationKey,
              ...(msg ? { deliveredMessageKey: msg.key } : {}),
            });
          }
          if (msg) {
            delivered.push({
              messageKey: msg.key,
              messageName: ev.messageName,
              correlationKey: ev.correlationKey,
              variables: json(msg.variables),
              elementInstanceKey: ev.elementInstanceKey,
            });
          }
          break;
        }
        case 'MESSAGE_SUBSCRIPTION_CLOSED':
          deleteWhere(this.messageSubscriptions, (s) => s.elementInstanceKey === ev.elementInstanceKey);
          break;
        case 'SIGNAL_SUBSCRIPTION_OPENED': {
          const id = `${ev.elementInstanceKey}/${ev.elementId}`;
          if (!this.signalSubscriptions.has(id)) {
            this.signalSubscriptions.set(id, {
              elementInstanceKey: ev.elementInstanceKey,
              elementId: ev.elementId,
              processInstanceKey: pi,
              name: ev.signalName,
              correlationKey: '',
            });
          }
          break;
        }
        case 'SIGNAL_SUBSCRIPTION_CLOSED':
          deleteWhere(this.signalSubscriptions, (s) => s.elementInstanceKey === ev.elementInstanceKey);
          break;
        case 'PROCESS_INSTANCE_ENDED':
          inst.state = ev.state;
          deleteWhere(this.messageSubscriptions, (s) => s.processInstanceKey === pi);
          deleteWhere(this.signalSubscriptions, (s) => s.processInstanceKey === pi);
          break;
        default:
          throw new Error(`read model: unknown event type ${(ev as { type: string }).type}`);
      }
    }
    return delivered;
  }

  /**
   * Stores a published message as the publication service does: when some instance waits for it
   * (then it is marked as correlated to the first), when it has a time to live, or when it has an id.
   * Returns its key and the instances (ascending keys) that wait for it.
   */
  publish(
    req: { key: string; name: string; correlationKey: string; messageId?: string; variables: Variables; timeToLive: number },
    now: number,
  ): string[] {
    if (req.messageId && this.messages.some((m) => m.name === req.name && m.messageId === req.messageId && m.expiresAt > now)) {
      throw new MemoryRejection('ALREADY_EXISTS', `A message named '${req.name}' with id '${req.messageId}' was already published and has not expired`);
    }
    const targets = [...new Set([...this.messageSubscriptions.values()].filter((s) => s.name === req.name && s.correlationKey === req.correlationKey).map((s) => s.processInstanceKey))];
    targets.sort(byKey);
    const ttl = Math.max(0, req.timeToLive);
    if (targets.length > 0 || ttl > 0 || req.messageId) {
      this.messages.push({
        key: req.key,
        name: req.name,
        correlationKey: req.correlationKey,
        ...(req.messageId ? { messageId: req.messageId } : {}),
        variables: json(req.variables),
        expiresAt: now + ttl,
        ...(targets[0] ? { correlatedTo: targets[0] } : {}),
      });
    }
    return targets;
  }

  /** A correlated message its instance could no longer take is buffered again until it expires. */
  returnMessage(messageKey: string, now: number): void {
    const msg = this.messages.find((m) => m.key === messageKey);
    if (msg && msg.expiresAt > now) delete msg.correlatedTo;
  }

  /** Instances (ascending keys) with a subscription for the signal. */
  signalTargets(signalName: string): string[] {
    return [...new Set([...this.signalSubscriptions.values()].filter((s) => s.name === signalName).map((s) => s.processInstanceKey))].sort(byKey);
  }

  findInstances(f: InstanceFilter): InstanceRow[] {
    return [...this.instances.values()]
      .filter(
        (i) =>
          (!f.processDefinitionKey || i.processDefinitionKey === f.processDefinitionKey) &&
          (!f.processId || i.processId === f.processId) &&
          (!f.parentProcessInstanceKey || i.parentProcessInstanceKey === f.parentProcessInstanceKey),
      )
      .sort((a, b) => byKey(a.processInstanceKey, b.processInstanceKey));
  }

  findUserTasks(f: UserTaskFilter): UserTaskRow[] {
    return [...this.userTasks.values()].filter(
      (t) =>
        (!f.processInstanceKey || t.processInstanceKey === f.processInstanceKey) &&
        (!f.elementId || t.elementId === f.elementId) &&
        (!f.state || t.state === f.state),
    );
  }

  findIncidents(f: IncidentFilter): IncidentRow[] {
    return [...this.incidents.values()].filter(
      (i) =>
        (!f.processInstanceKey || i.processInstanceKey === f.processInstanceKey) &&
        (!f.elementId || i.elementId === f.elementId) &&
        (!f.state || i.state === f.state),
    );
  }

  hasSignalSubscription(processInstanceKey: string, signalName: string): boolean {
    return [...this.signalSubscriptions.values()].some((s) => s.processInstanceKey === processInstanceKey && s.name === signalName);
  }
}

export interface InstanceFilter {
  processDefinitionKey?: string;
  processId?: string;
  parentProcessInstanceKey?: string;
}
export interface UserTaskFilter {
  processInstanceKey?: string;
  elementId?: string;
  state?: UserTaskRow['state'];
}
export interface IncidentFilter {
  processInstanceKey?: string;
  elementId?: string;
  state?: IncidentRow['state'];
}

function deleteWhere<V>(map: Map<string, V>, pred: (v: V) => boolean): void {
  for (const [k, v] of map) if (pred(v)) map.delete(k);
}

export function byKey(a: string, b: string): number {
  const d = BigInt(a) - BigInt(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}
