/**
 * Brotli and gzip copies of the web app's text assets, written next to them after `vite build`
 * (modeler/vite.config.ts), so that the server sends them compressed without compressing on each
 * request (@fastify/static `preCompressed`). Only files worth it: text types of at least MIN_BYTES
 * whose compressed form is smaller.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const TEXT = /\.(?:js|mjs|css|html|svg|json|txt|map|wasm)$/;
export const MIN_BYTES = 1024;

/** Compresses every text asset below `dir`; answers how many files got compressed copies. */
export function precompress(dir: string): number {
  let count = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      count += precompress(file);
      continue;
    }
    if (!TEXT.test(entry.name) || statSync(file).size < MIN_BYTES) continue;
    const data = readFileSync(file);
    // Quality 9 rather than 11: nearly as small, and the build stays quick on two cores.
    const br = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } });
    const gz = gzipSync(data, { level: 9 });
    if (br.length < data.length) writeFileSync(`${file}.br`, br);
    if (gz.length < data.length) writeFileSync(`${file}.gz`, gz);
    count++;
  }
  return count;
}
