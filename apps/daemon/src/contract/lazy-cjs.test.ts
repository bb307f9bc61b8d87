import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deferCommonJs } from './lazy-cjs.js';

const require = createRequire(import.meta.url);
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A package that requires a heavy module as it loads; the heavy one counts its own loads. */
function fixture(heavy: string): { user: string; loads: () => number } {
  const dir = mkdtempSync(join(tmpdir(), 'orc-lazy-cjs-'));
  dirs.push(dir);
  const key = `__orcLazyLoads_${dirs.length}_${Date.now()}`;
  writeFileSync(join(dir, 'heavy.js'), `globalThis.${key} = (globalThis.${key} ?? 0) + 1;\n${heavy}`);
  writeFileSync(join(dir, 'user.js'), "const heavy = require('./heavy.js');\nmodule.exports = { heavy };\n");
  const g = globalThis as Record<string, unknown>;
  return { user: join(dir, 'user.js'), loads: () => Number(g[key] ?? 0) };
}

describe('deferCommonJs', () => {
  it('loads named exports on their first call, once', () => {
    const f = fixture('exports.twice = (n) => n * 2;\nexports.add = (a, b) => a + b;');
    expect(deferCommonJs(f.user, './heavy.js', ['twice', 'add'])).toBe(true);
    const { heavy } = require(f.user) as {
      heavy: { twice(n: number): number; add(a: number, b: number): number };
    };
    expect(f.loads()).toBe(0);
    expect(heavy.twice(21)).toBe(42);
    expect(heavy.add(2, 3)).toBe(5);
    expect(f.loads()).toBe(1);
  });

  it('loads a module that is a function on its first call', () => {
    const f = fixture('module.exports = function withSession(x) { return `session ${x}`; };');
    deferCommonJs(f.user, './heavy.js', 'default');
    const { heavy } = require(f.user) as { heavy: (x: string) => string };
    expect(f.loads()).toBe(0);
    expect(heavy('a')).toBe('session a');
    expect(heavy('b')).toBe('session b');
    expect(f.loads()).toBe(1);
  });

  it('leaves a module already loaded alone', () => {
    const f = fixture('exports.one = () => 1;');
    require(f.user);
    expect(deferCommonJs(f.user, './heavy.js', ['one'])).toBe(false);
    expect(f.loads()).toBe(1);
  });

  it('says which export is missing instead of calling undefined', () => {
    const f = fixture('exports.one = () => 1;');
    deferCommonJs(f.user, './heavy.js', ['two']);
    const { heavy } = require(f.user) as { heavy: { two(): number } };
    expect(() => heavy.two()).toThrow('./heavy.js: no function two');
  });
});
