// `vite build modeler` (npm run build:web) writes modeler/dist, which the server serves at /:
// hashed files under assets/ (cached for a year, immutable) with brotli and gzip copies beside them.
// During `vite modeler` development, /api and /v2 are proxied to the server on PORT (default 3000).
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { precompress } from '../server/platform/precompress.js';

function precompressed(): Plugin {
  let outDir = '';
  return {
    name: 'gongdian-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      precompress(outDir);
    },
  };
}

export default defineConfig({
  build: { outDir: 'dist', chunkSizeWarningLimit: 2000 },
  plugins: [precompressed()],
  server: {
    proxy: {
      '/api': `http://localhost:${process.env.PORT ?? 3000}`,
      '/v2': `http://localhost:${process.env.PORT ?? 3000}`,
    },
  },
});
