import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The browser page: src/web bundled into dist/web (static files the console server serves).
export default defineConfig({
  root: fileURLToPath(new URL('src/web', import.meta.url)),
  base: './',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
  },
});
