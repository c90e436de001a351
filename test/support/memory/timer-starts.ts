/**
 * Timer start events in memory, as the scheduler workflow does it (workflows/timer-start.ts): one
 * scheduler per timer start event of a process's latest version, replaced when a new version is
 * deployed; it starts an instance at the timer's date or at each occurrence of its cycle.
 */
import { evalString } from '../../../workflows/engine/feel.js';
import { firstDue } from '../../../workflows/engine/time.js';
import { nextOccurrence } from '../../../workflows/engine/waits.js';
import type { Wait } from '../../../workflows/types.js';
import type { MemoryDefinition } from './definitions.js';

type TimerWait = Extract<Wait, { kind: 'timer' }>;

export interface TimerStartScheduler {
  definition: MemoryDefinition;
  startEventId: string;
  /** The next occurrence; undefined once the last one started its instance. */
  next?: TimerWait;
  /** Why the scheduler stopped without starting anything (its timer value is not valid). */
  failure?: string;
  /** Replaced by a newer version of the process. */
  stopped: boolean;
}

export class TimerStarts {
  private readonly schedulers: TimerStartScheduler[] = [];

  /** Called after `def` was deployed as the newest version; `previous` is the version before it. */
  sync(def: MemoryDefinition, previous: MemoryDefinition | undefined, now: number): void {
    for (const s of this.schedulers) if (previous && s.definition.key === previous.key) s.stopped = true;
    for (const node of Object.values(def.model.nodes)) {
      if (node.type !== 'startEvent' || node.parentId !== null || node.event.kind !== 'timer') continue;
      const scheduler: TimerStartScheduler = { definition: def, startEventId: node.id, stopped: false };
      try {
        const value = evalString(node.event.timer.expression, {}, 'timer');
        const due = firstDue(node.event.timer.type, value, now);
        scheduler.next = { kind: 'timer', dueAt: due.dueAt, ...(due.repeat !== undefined ? { repeat: due.repeat, interval: due.interval } : {}) };
      } catch (err) {
        scheduler.failure = (err as Error).message;
      }
      this.schedulers.push(scheduler);
    }
  }

  find(definitionKey: string, startEventId: string): TimerStartScheduler | undefined {
    return this.schedulers.find((s) => s.definition.key === definitionKey && s.startEventId === startEventId);
  }

  nextDueAt(): number | undefined {
    let min: number | undefined;
    for (const s of this.schedulers) if (!s.stopped && s.next && (min === undefined || s.next.dueAt < min)) min = s.next.dueAt;
    return min;
  }

  /** The schedulers due at `now`, each moved on to its next occurrence. */
  takeDue(now: number): TimerStartScheduler[] {
    const due = this.schedulers.filter((s) => !s.stopped && s.next && s.next.dueAt <= now);
    for (const s of due) {
      const next = nextOccurrence(s.next!);
      if (next) s.next = next;
      else delete s.next;
    }
    return due;
  }
}
