import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

// RADLENS_BASE=/radlens/ serves the app under a sub-path; it must end in '/'.
const base = (() => {
  const raw = process.env.RADLENS_BASE || '/';
  const withLead = raw.startsWith('/') ? raw : `/${raw}`;
  return withLead.endsWith('/') ? withLead : `${withLead}/`;
})();

export default defineConfig({
  base,
  plugins: [
    react(),
    VitePWA({
      // A new version waits until the user agrees (an open batch is never swapped out under them).
      registerType: 'prompt',
      injectRegister: null,
      includeAssets: ['icons/*.png', 'models/**/*'],
      manifest: {
        name: 'RadLens',
        short_name: 'RadLens',
        description: 'Radiology triage that runs entirely on your machine',
        theme_color: '#0b5cad',
        background_color: '#f6f7f9',
        display: 'standalone',
        start_url: '.',
        scope: '.',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,wasm,json,bin,png,svg,webmanifest}'],
        // The WASM codecs, tfjs WASM binaries and model weights must work offline.
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        navigateFallback: 'index.html',
      },
    }),
  ],
  worker: {
    format: 'es',
  },
  build: {
    target: 'es2022',
    // Large vendor chunks (tfjs) are expected; the limit is about warnings only.
    chunkSizeWarningLimit: 4096,
  },
  optimizeDeps: {
    exclude: ['@cornerstonejs/codec-openjpeg', '@cornerstonejs/codec-charls', '@cornerstonejs/codec-libjpeg-turbo-8bit'],
  },
  preview: {
    host: '127.0.0.1',
  },
});
