import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The browser app. Served under /console/ by the console server (src/server.ts).
export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  base: '/console/',
  plugins: [react()],
  resolve: {
    // The one validator per identifier, compiled from its ESM source so only what the app uses is bundled.
    alias: { '@simpul/identifiers': fileURLToPath(new URL('../../packages/identifiers/src/index.ts', import.meta.url)) },
  },
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
});
