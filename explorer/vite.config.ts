// Builds the page into dist/ (or --outDir): index.html and hashed assets,
// with relative URLs so the node can serve it from any path.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
});
