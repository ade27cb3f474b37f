import type { Plugin } from 'vite';

// A build-time patch of @tensorflow/tfjs-backend-wasm 4.22 (tfjs issue #8513).
//
// Its C++ side caps the XNNPACK thread pool at emscripten_num_logical_cores() / 2
// ("x86 has two hyper-threads per core"), and also caps setThreadsCount() by it,
// so a 2-core machine always gets 1 thread while still paying for the threaded
// build's worker pool. The JS glue answers emscripten_num_logical_cores() with
// navigator.hardwareConcurrency; doubling that answer makes the cap
// hardwareConcurrency itself (still at most the 8 pre-created workers), i.e. one
// thread per logical core, and makes setThreadsCount() mean what it says.
// No patch-package install: Vite (and the bench page's build) rewrites this one
// expression in the threaded-SIMD glue as it bundles it. If a tfjs upgrade
// changes the glue, the build fails here instead of silently losing threads.

const GLUE = /tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/;
const UPSTREAM = 'return navigator["hardwareConcurrency"]}';
const PATCHED = 'return 2*navigator["hardwareConcurrency"]}/* radlens: tfjs#8513, see scripts/tfjs-wasm-threads.ts */';

// Second fix, needed as soon as the page is cross-origin isolated (before, the
// threaded build never ran): each pthread worker re-evaluates the factory from
// its source text (`factory.toString()` in a Blob), so the factory must not
// use variables of its enclosing closure. Upstream it reads the closure's
// `_scriptDir` behind a typeof guard; a minifier renames it and drops the
// guard, and every pthread dies with "ReferenceError: e is not defined".
// Declaring it inside the factory keeps the factory self-contained.
const FACTORY_START = 'function(WasmBackendModuleThreadedSimd) {\n  WasmBackendModuleThreadedSimd = WasmBackendModuleThreadedSimd || {};\n';
const OWN_SCRIPT_DIR = "var _scriptDir = typeof document !== 'undefined' && document.currentScript ? document.currentScript.src : undefined;\n";

function replaceOnce(code: string, from: string, to: string, what: string): string {
  const at = code.indexOf(from);
  if (at < 0 || code.indexOf(from, at + 1) >= 0)
    throw new Error(`tfjs-wasm-threads: the threaded-SIMD glue no longer has exactly one ${what}; review scripts/tfjs-wasm-threads.ts for this tfjs version`);
  return code.slice(0, at) + to + code.slice(at + from.length);
}

export function patchThreadCount(code: string): string {
  const threads = replaceOnce(code, UPSTREAM, PATCHED, 'navigator["hardwareConcurrency"] answer');
  return replaceOnce(threads, FACTORY_START, FACTORY_START + OWN_SCRIPT_DIR, 'module factory start');
}

/** RADLENS_WASM_THREADS=upstream keeps tfjs's own thread count (for measuring the difference). */
export function tfjsWasmThreads(enabled = process.env.RADLENS_WASM_THREADS !== 'upstream'): Plugin {
  return {
    name: 'radlens-tfjs-wasm-threads',
    enforce: 'pre',
    transform(code: string, id: string) {
      if (!enabled || !GLUE.test(id.split('?')[0])) return null;
      return { code: patchThreadCount(code), map: null };
    },
  };
}
