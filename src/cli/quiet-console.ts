/**
 * Import first in a CLI entry point: libraries (tfjs's "Hi there" notice,
 * emscripten) print through console.*; stdout must carry only our JSON, so
 * every console method goes to stderr.
 */
const toStderr = (...args: unknown[]) => process.stderr.write(args.map((a) => (typeof a === 'string' ? a : String(a))).join(' ') + '\n');
console.log = toStderr;
console.info = toStderr;
console.warn = toStderr;
console.debug = toStderr;

export {};
