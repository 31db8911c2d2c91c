import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The SPA lives in web/ and is built into web/dist/, which the Vigil server serves at "/".
// `vite --config web/vite.config.ts` (dev server) proxies /api to a running Vigil server;
// point VIGIL_DEV_API at it if it is not on the default address.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: {
      '/api': { target: process.env['VIGIL_DEV_API'] ?? 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
});
