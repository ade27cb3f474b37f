// Browser-only: Vite turns these into hashed asset URLs so the emscripten
// loaders fetch their .wasm from the bundle. Imported dynamically by codecs.ts
// only outside Node, where '?url' imports mean nothing.
import openjpegWasm from '@cornerstonejs/codec-openjpeg/decodewasm?url';
import openjphWasm from '@cornerstonejs/codec-openjph/wasm?url';
import charlsWasm from '@cornerstonejs/codec-charls/decodewasm?url';
import libjpegTurboWasm from '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasm?url';

export const codecWasmUrls = {
  openjpeg: openjpegWasm,
  openjph: openjphWasm,
  charls: charlsWasm,
  libjpegTurbo: libjpegTurboWasm,
} as const;
