/**
 * Builds the web app (modeler/ → modeler/dist) with Vite when `npm start` finds no build, or one
 * older than the web app's sources (after a `git pull`). Tests build into a directory of their own
 * (outDir) and serve it with buildApp's webRoot.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Newest modification time of the files below `dir` (0 when it does not exist). */
function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return latest;
}

/** True when `webRoot` holds a build at least as new as the sources under `sourceRoot` (modeler/). */
export function webBuildIsCurrent(webRoot: string, sourceRoot: string): boolean {
  const index = path.join(webRoot, 'index.html');
  if (!existsSync(index)) return false;
  const sources = Math.max(newest(path.join(sourceRoot, 'src')), statSync(path.join(sourceRoot, 'index.html')).mtimeMs);
  return statSync(index).mtimeMs >= sources;
}

export async function buildWebApp(repoRoot: string, outDir?: string): Promise<void> {
  const viteBin = path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(viteBin)) throw new Error(`Vite is not installed (${viteBin} is missing); run npm install`);
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [viteBin, 'build', 'modeler', '--emptyOutDir', '--logLevel', 'warn', ...(outDir ? ['--outDir', outDir] : [])], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (c: Buffer) => output.push(c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => output.push(c.toString('utf8')));
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`vite build modeler failed (exit ${code}):\n${output.join('').trim()}`);
}
