// The two headers that make the page cross-origin isolated, so the tfjs WASM
// backend gets SharedArrayBuffer and runs its threaded-SIMD build (one thread
// per core with scripts/tfjs-wasm-threads.ts). `npm start` (vite preview) and
// `npm run dev` send them. RadLens loads nothing cross-origin (no CDN, no web
// fonts), so require-corp breaks nothing.
//
// Static hosting: send the same two headers for every file, e.g.
//   nginx:   add_header Cross-Origin-Opener-Policy same-origin always;
//            add_header Cross-Origin-Embedder-Policy require-corp always;
//   Apache:  Header always set Cross-Origin-Opener-Policy "same-origin"
//            Header always set Cross-Origin-Embedder-Policy "require-corp"
//   Netlify / Cloudflare Pages (_headers file):  /*  then the two lines.
// Without them the page still works: crossOriginIsolated is false, tfjs picks
// its single-threaded SIMD build, and the measured backend choice (cached per
// device *and* isolation state) accounts for the difference.
export const ISOLATION_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
