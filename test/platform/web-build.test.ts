import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { webBuildIsCurrent } from '../../server/platform/web-build.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

it('rebuilds the web app when it is missing or older than its sources', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'web-build-'));
  dirs.push(root);
  const src = path.join(root, 'modeler');
  const dist = path.join(src, 'dist');
  await mkdir(path.join(src, 'src', 'views'), { recursive: true });
  await writeFile(path.join(src, 'index.html'), '<html></html>');
  await writeFile(path.join(src, 'src', 'views', 'tasks.ts'), 'export {};');
  expect(webBuildIsCurrent(dist, src)).toBe(false); // no build

  await mkdir(dist);
  await writeFile(path.join(dist, 'index.html'), 'built');
  const t = Date.now() / 1000;
  await utimes(path.join(src, 'index.html'), t - 100, t - 100);
  await utimes(path.join(src, 'src', 'views', 'tasks.ts'), t - 100, t - 100);
  await utimes(path.join(dist, 'index.html'), t - 50, t - 50);
  expect(webBuildIsCurrent(dist, src)).toBe(true);

  await utimes(path.join(src, 'src', 'views', 'tasks.ts'), t, t); // a source changed after the build
  expect(webBuildIsCurrent(dist, src)).toBe(false);
});
