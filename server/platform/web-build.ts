/**
 * Builds the web app (modeler/ → modeler/dist) with Vite when `npm start` finds no build. Tests build
 * into a directory of their own (outDir) and serve it with buildApp's webRoot.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export function webBuildExists(webRoot: string): boolean {
  return existsSync(path.join(webRoot, 'index.html'));
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
