import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In `vite dev`, the API runs beside it (pnpm start or apps/api) and /trpc is proxied to it,
// so the refresh cookie stays same-origin.
export default defineConfig({
  plugins: [react()],
  server: { port: 5173, proxy: { '/trpc': 'http://127.0.0.1:3000', '/exports': 'http://127.0.0.1:3000', '/imports': 'http://127.0.0.1:3000', '/calendar': 'http://127.0.0.1:3000', '/documents': 'http://127.0.0.1:3000', '/contracts': 'http://127.0.0.1:3000', '/batches': 'http://127.0.0.1:3000', '/bank-returns': 'http://127.0.0.1:3000' } },
  build: { outDir: 'dist', sourcemap: true },
});
