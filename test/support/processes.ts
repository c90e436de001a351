/**
 * Looking at processes through /proc (Linux), to check that a stopped product left nothing behind.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcInfo {
  pid: number;
  ppid: number;
  cmdline: string;
}

export function listProcesses(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …; comm may contain spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const state = fields[0];
      if (state === 'Z' || state === 'X') continue; // zombies are already dead
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      out.push({ pid: Number(entry), ppid: Number(fields[1]), cmdline });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** `pid` and every process below it. */
export function processTree(pid: number): ProcInfo[] {
  const all = listProcesses();
  const result: ProcInfo[] = [];
  const queue = [pid];
  while (queue.length) {
    const current = queue.shift() as number;
    for (const p of all) {
      if (p.pid === current) result.push(p);
      if (p.ppid === current) queue.push(p.pid);
    }
  }
  return result;
}

export function isAlive(pid: number): boolean {
  return listProcesses().some((p) => p.pid === pid);
}

/** Polls `check` every 200 ms until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs: number, what: string): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
