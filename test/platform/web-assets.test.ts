/**
 * The web app's files: hashed assets are sent compressed (brotli, else gzip, from the copies written at
 * build time) and cached for a year as immutable; index.html is revalidated on every visit, so a new
 * deployment is picked up at the next load.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MIN_BYTES, precompress } from '../../server/platform/precompress.js';
import { startTestApp, type TestApp } from '../support/stack.js';

let dir: string;
let stack: TestApp;
const script = `console.log(${JSON.stringify('供电'.repeat(2000))});\n`;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'web-assets-'));
  await mkdir(path.join(dir, 'assets'));
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><script type="module" src="/assets/app-Ab12.js"></script>');
  await writeFile(path.join(dir, 'assets', 'app-Ab12.js'), script);
  await writeFile(path.join(dir, 'assets', 'tiny-Cd34.js'), 'export {};\n');
  await writeFile(path.join(dir, 'assets', 'font-Ef56.woff2'), Buffer.alloc(4096, 7));
  expect(precompress(dir)).toBe(1);
  stack = await startTestApp({ webRoot: dir });
});

afterAll(async () => {
  await stack?.close();
  await rm(dir, { recursive: true, force: true });
});

it('writes compressed copies only of text assets worth compressing', () => {
  expect(existsSync(path.join(dir, 'assets', 'app-Ab12.js.br'))).toBe(true);
  expect(existsSync(path.join(dir, 'assets', 'app-Ab12.js.gz'))).toBe(true);
  expect(Buffer.byteLength('export {};\n')).toBeLessThan(MIN_BYTES);
  expect(existsSync(path.join(dir, 'assets', 'tiny-Cd34.js.br'))).toBe(false);
  expect(existsSync(path.join(dir, 'assets', 'font-Ef56.woff2.br'))).toBe(false);
});

it('sends a hashed asset brotli-compressed and immutable, gzip to a client without brotli, plain to one without either', async () => {
  const br = await stack.app.inject({ method: 'GET', url: '/assets/app-Ab12.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
  expect(br.statusCode).toBe(200);
  expect(br.headers['content-encoding']).toBe('br');
  expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(brotliDecompressSync(br.rawPayload).toString('utf8')).toBe(script);

  const gz = await stack.app.inject({ method: 'GET', url: '/assets/app-Ab12.js', headers: { 'accept-encoding': 'gzip' } });
  expect(gz.headers['content-encoding']).toBe('gzip');
  expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(script);

  const plain = await stack.app.inject({ method: 'GET', url: '/assets/app-Ab12.js', headers: { 'accept-encoding': 'identity' } });
  expect(plain.headers['content-encoding']).toBeUndefined();
  expect(plain.body).toBe(script);
});

it('asks the browser to revalidate index.html', async () => {
  for (const url of ['/', '/index.html']) {
    const res = await stack.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br' } });
    expect(res.statusCode, url).toBe(200);
    expect(res.headers['cache-control'], url).toBe('no-cache');
    expect(res.body).toContain('/assets/app-Ab12.js');
  }
});
