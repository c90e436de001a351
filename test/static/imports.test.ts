/**
 * The import graph between top-level folders (DESIGN.md, Layout): dependencies point one way, so no
 * folder imports another that imports it back, and nothing below the HTTP server imports server/.
 * The one allowed exception is Temporal's pattern: workflows/ imports the activities' *type*
 * (`import type { Activities }`), which is erased at compile time.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCycles, importSpecifiers } from './import-graph.js';

const ROOT = resolve(new URL('../../', import.meta.url).pathname);
/** Tooling that may import anything (tests, benchmarks, machine setup), and what is not source. */
const UNCHECKED = new Set(['test', 'bench', 'scripts', 'node_modules', 'data', 'coverage']);
/** Every top-level folder of the product, including product modules added later (sla/, assessment/ …). */
const FOLDERS = readdirSync(ROOT).filter((name) => !name.startsWith('.') && !UNCHECKED.has(name) && statSync(join(ROOT, name)).isDirectory());
/** Folders that must not import server/ at all, not even types (it sits on top of them). */
const BELOW_SERVER = ['activities', 'workflows', 'services', 'db', 'bpmn'];

/** Edges left out of the cycle check as long as every import along them is type-only. */
const TYPE_ONLY_EDGES_ALLOWED = new Set(['workflows→activities']);

interface Edge {
  /** One file and specifier that makes the edge, for the failure message. */
  example: string;
  typeOnly: boolean;
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...tsFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function topFolder(absPath: string): string | undefined {
  const rel = relative(ROOT, absPath);
  return rel.startsWith('..') ? undefined : rel.split(sep)[0];
}

/** Every relative import between top-level folders, by "from→to"; typeOnly when all of them are. */
function folderEdges(): Map<string, Edge> {
  const edges = new Map<string, Edge>();
  for (const folder of FOLDERS) {
    for (const file of tsFiles(join(ROOT, folder))) {
      for (const { specifier, typeOnly } of importSpecifiers(readFileSync(file, 'utf8'))) {
        if (!specifier.startsWith('.')) continue;
        const to = topFolder(resolve(dirname(file), specifier));
        if (!to || to === folder) continue;
        const key = `${folder}→${to}`;
        const example = `${relative(ROOT, file)} imports '${specifier}'`;
        const known = edges.get(key);
        if (!known) edges.set(key, { example, typeOnly });
        else if (known.typeOnly && !typeOnly) edges.set(key, { example, typeOnly: false });
      }
    }
  }
  return edges;
}

describe('import graph between top-level folders', () => {
  const edges = folderEdges();

  it('sees the dependencies it checks, and tells type-only imports from runtime ones', () => {
    expect(FOLDERS).toEqual(expect.arrayContaining(['activities', 'bpmn', 'db', 'server', 'services', 'workflows']));
    expect(edges.get('server→services')?.typeOnly).toBe(false);
    expect(edges.get('activities→services')?.typeOnly).toBe(false);
    expect(edges.get('services→db')?.typeOnly).toBe(false);
    expect(edges.get('workflows→activities')?.typeOnly).toBe(true);
  });

  it('has no cycle between top-level folders', () => {
    const graph = new Map<string, string[]>();
    for (const [key, edge] of edges) {
      if (edge.typeOnly && TYPE_ONLY_EDGES_ALLOWED.has(key)) continue;
      const [from, to] = key.split('→') as [string, string];
      graph.set(from, [...(graph.get(from) ?? []), to]);
    }
    const cycles = findCycles(graph).map((cycle) =>
      cycle
        .map((from, i) => {
          const key = `${from}→${cycle[(i + 1) % cycle.length]}`;
          return `${key} (${edges.get(key)!.example})`;
        })
        .join('; '),
    );
    expect(cycles).toEqual([]);
  });

  it.each(BELOW_SERVER)('%s/ does not import server/', (folder) => {
    expect(edges.get(`${folder}→server`)?.example).toBeUndefined();
  });
});
