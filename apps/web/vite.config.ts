import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The console: built into dist/web, which the API serves at / (apps/api/src/console/serve-console.ts). In development
 * (`npx vite --config apps/web/vite.config.ts`) API calls go to the API on :3000.
 */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: Object.fromEntries(
      ['/session', '/departments', '/rule-sets', '/years', '/what-if', '/api-keys', '/users', '/audit', '/health'].map(
        (path) => [path, 'http://127.0.0.1:3000'],
      ),
    ),
  },
});
