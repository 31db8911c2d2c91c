import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * A rebuild must not pull the files from under a running server: emptying web/dist first (Vite's
 * default) left a window of seconds in which a page that had just loaded index.html found none of
 * its assets (a test that runs `npm start` beside the browser tests hit it). The new build is
 * written next to the old one (asset names are content hashes), and assets of earlier builds are
 * removed once they are ten minutes old.
 */
function keepRecentAssets(): Plugin {
  const written = new Set<string>();
  return {
    name: 'vigil-keep-recent-assets',
    writeBundle(options, bundle) {
      for (const file of Object.keys(bundle)) written.add(join(options.dir!, file));
      const assets = join(options.dir!, 'assets');
      const cutoff = Date.now() - 10 * 60_000;
      for (const name of readdirSync(assets)) {
        const path = join(assets, name);
        if (!written.has(path) && statSync(path).mtimeMs < cutoff) rmSync(path, { force: true });
      }
    },
  };
}

// The SPA lives in web/ and is built into web/dist/, which the Vigil server serves at "/".
// `vite --config web/vite.config.ts` (dev server) proxies /api to a running Vigil server;
// point VIGIL_DEV_API at it if it is not on the default address.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react(), keepRecentAssets()],
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    sourcemap: true,
  },
  server: {
    proxy: {
      '/api': { target: process.env['VIGIL_DEV_API'] ?? 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
});
