import { createRequire, Module } from 'node:module';

/**
 * Puts a stand-in for a CommonJS module in the module cache, so that a package that requires it at load
 * time gets the stand-in, and the real module is loaded only when one of its functions is first called.
 * For dependencies that load a large module tree the daemon almost never uses (issue 17, item 5: an idle
 * daemon keeps every module it compiled). `from`: a file beside the requiring package (the resolution
 * base); `names`: the module's exported functions, or `'default'` when the module is itself a function.
 * Returns false when the module was already loaded (nothing to save; the real one stays).
 */
export function deferCommonJs(from: string, request: string, names: readonly string[] | 'default'): boolean {
  const req = createRequire(from);
  const path = req.resolve(request);
  if (req.cache[path]) return false;
  let real: unknown;
  const load = (): unknown => {
    if (real === undefined) {
      // The stand-in leaves the cache first, so this require compiles the real module (and caches it).
      if (req.cache[path] === stub) delete req.cache[path];
      real = req(path);
    }
    return real;
  };
  const forward =
    (name: string | undefined) =>
    (...args: unknown[]): unknown => {
      type Fn = (...a: unknown[]) => unknown;
      const mod = load() as Fn & Partial<Record<string, Fn>>;
      const fn = name === undefined ? mod : mod[name];
      if (typeof fn !== 'function') throw new TypeError(`${request}: no function ${name ?? '(default)'}`);
      return fn(...args);
    };
  const stub = new Module(path);
  stub.filename = path;
  stub.loaded = true;
  stub.exports =
    names === 'default' ? forward(undefined) : Object.fromEntries(names.map((n) => [n, forward(n)]));
  req.cache[path] = stub;
  return true;
}
