import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built into dist/ui: `serve` answers index.html at / (src/server/routes/uiRoutes.ts) and the emulator
// answers console.html at /console (src/emulator/console/consoleRoutes.ts).
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: '../dist/ui',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: { main: `${import.meta.dirname}/index.html`, console: `${import.meta.dirname}/console.html` },
    },
  },
  logLevel: 'warn',
});
