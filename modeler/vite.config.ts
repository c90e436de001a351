// `vite build modeler` (npm run build:web) writes modeler/dist, which the server serves at /.
// During `vite modeler` development, /api and /v2 are proxied to the server on PORT (default 3000).
import { defineConfig } from 'vite';

export default defineConfig({
  build: { outDir: 'dist', chunkSizeWarningLimit: 2000 },
  server: {
    proxy: {
      '/api': `http://localhost:${process.env.PORT ?? 3000}`,
      '/v2': `http://localhost:${process.env.PORT ?? 3000}`,
    },
  },
});
