import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { tfjsWasmThreads } from './scripts/tfjs-wasm-threads';
import { ISOLATION_HEADERS } from './scripts/isolation-headers';

// RADLENS_BASE=/radlens/ serves the app under a sub-path; it must end in '/'.
const base = (() => {
  const raw = process.env.RADLENS_BASE || '/';
  const withLead = raw.startsWith('/') ? raw : `/${raw}`;
  return withLead.endsWith('/') ? withLead : `${withLead}/`;
})();

// RADLENS_MODEL_ORIGINS="https://models.hospital.local" lets the Models page load
// from a clinic intranet model server; by default the page may talk to its own
// origin only (Content-Security-Policy connect-src 'self').
const modelOrigins = (process.env.RADLENS_MODEL_ORIGINS || '').split(/[\s,]+/).filter(Boolean);
for (const origin of modelOrigins) {
  if (!/^https?:\/\/[\w.-]+(:\d+)?$/.test(origin)) throw new Error(`RADLENS_MODEL_ORIGINS: "${origin}" is not an origin`);
}

const contentSecurityPolicy: Plugin = {
  name: 'radlens-csp-connect-src',
  transformIndexHtml: (html) =>
    modelOrigins.length ? html.replace("connect-src 'self'", `connect-src 'self' ${modelOrigins.join(' ')}`) : html,
};

// src/ml has no import-time side effects, so a bundle keeps only what it uses of
// src/ml/index.ts: the UI thread's pure helpers (metrics, dataset checks, the
// model library) come through the front door without TensorFlow.js.
const srcMlIsPure = { moduleSideEffects: [{ test: /[\\/]src[\\/]ml[\\/]/, sideEffects: false }] };

export default defineConfig({
  base,
  plugins: [
    react(),
    contentSecurityPolicy,
    tfjsWasmThreads(),
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
    rollupOptions: { treeshake: srcMlIsPure },
    // tfjs runs in the workers, so the thread-count patch goes to their bundles.
    plugins: () => [tfjsWasmThreads()],
  },
  build: {
    target: 'es2022',
    // Large vendor chunks (tfjs) are expected; the limit is about warnings only.
    chunkSizeWarningLimit: 4096,
    rollupOptions: { treeshake: srcMlIsPure },
  },
  optimizeDeps: {
    exclude: ['@cornerstonejs/codec-openjpeg', '@cornerstonejs/codec-openjph', '@cornerstonejs/codec-charls', '@cornerstonejs/codec-libjpeg-turbo-8bit'],
  },
  // Cross-origin isolation (SharedArrayBuffer, so WASM can use threads); see scripts/isolation-headers.ts.
  server: { headers: ISOLATION_HEADERS },
  preview: {
    host: '127.0.0.1',
    headers: ISOLATION_HEADERS,
  },
});
