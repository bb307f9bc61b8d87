import { createRequire } from 'node:module';

/**
 * Node's own modules loaded when a command first needs them, synchronously. The bundle is CommonJS (one
 * file, no ESM loader at start-up; docs/benchmarks.md, issue 17): an `import('node:net')` there would
 * start the ESM loader for one builtin, `require` does not. In the sources (ESM, under vitest) it works
 * the same.
 */
export const builtin = createRequire(import.meta.url);

export const loadNet = () => builtin('node:net') as typeof import('node:net');
export const loadHttp = () => builtin('node:http') as typeof import('node:http');
export const loadChildProcess = () => builtin('node:child_process') as typeof import('node:child_process');
// `os` only where HOME is unset (autostart.ts): every `ps` and `up` loaded it for nothing (~0.2 ms).
export const loadOs = () => builtin('node:os') as typeof import('node:os');
export const loadCrypto = () => builtin('node:crypto') as typeof import('node:crypto');
