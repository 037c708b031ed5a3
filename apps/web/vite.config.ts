import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './vite-precompress.ts';

// In `vite dev`, the API runs beside it (pnpm start or apps/api) and /trpc is proxied to it,
// so the refresh cookie stays same-origin.
export default defineConfig({
  plugins: [react(), precompress()],
  server: { port: 5173, proxy: { '/trpc': 'http://127.0.0.1:3000', '/exports': 'http://127.0.0.1:3000', '/imports': 'http://127.0.0.1:3000', '/calendar': 'http://127.0.0.1:3000', '/documents': 'http://127.0.0.1:3000', '/contracts': 'http://127.0.0.1:3000', '/batches': 'http://127.0.0.1:3000', '/bank-returns': 'http://127.0.0.1:3000' } },
  build: {
    outDir: 'dist',
    // No public source maps: the shipped app does not hand out its sources. WEB_SOURCEMAPS=hidden
    // writes them beside the build for an error tracker, unreferenced (and the API serves no .map).
    sourcemap: process.env.WEB_SOURCEMAPS === 'hidden' ? 'hidden' : false,
    rolldownOptions: {
      // precompress() takes most of the build (brotli at its best quality, once per build, for
      // every visitor's benefit): that is expected, not a slow plugin to warn about.
      checks: { bundlerTimings: false },
      output: {
        // Libraries every page needs, in chunks of their own: they change less often than the app,
        // so a new version of the app leaves them in the browser's cache. Pages are split by route
        // (routes/app-routes.tsx); what only some pages use (zod, ibantools) follows them.
        codeSplitting: {
          groups: [
            { name: 'react', test: /[\\/]node_modules[\\/](?:react|react-dom|scheduler|react-router|cookie|set-cookie-parser)[\\/]/, priority: 2 },
            { name: 'trpc-query', test: /[\\/]node_modules[\\/](?:@trpc|@tanstack)[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
});
