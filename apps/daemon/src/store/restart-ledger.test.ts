import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRestartLedgerStore, type Ledger, parseLedger } from './restart-ledger.js';

const entry = { service: 'web', name: 'p-web-1', restarts: [1, 2], consecutive: 2, total: 2 };

describe('restart ledger', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'orc-ledger-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips, and an empty ledger removes the file', async () => {
    const store = createRestartLedgerStore(dir);
    const ledger: Ledger = { abc: { ...entry, gaveUp: 'gave up', startedAt: 'T' } };
    await store.save('p', ledger);
    expect(await store.load('p')).toEqual(ledger);
    await store.save('p', {});
    expect(existsSync(join(dir, 'restarts', 'p.json'))).toBe(false);
    expect(await store.load('p')).toEqual({});
  });

  it('sets a file it cannot trust aside, says so, and starts empty', async () => {
    const warnings: string[] = [];
    const store = createRestartLedgerStore(dir, { warn: (m) => warnings.push(m) });
    await store.save('p', { abc: entry });
    await writeFile(join(dir, 'restarts', 'p.json'), '{"version":1,"containers":{"abc":{"total":-1}}}');
    expect(await store.load('p')).toEqual({});
    expect(warnings).toHaveLength(1);
    const files = await readdir(join(dir, 'restarts'));
    expect(files.some((f) => f.startsWith('p.json.bad-'))).toBe(true);
    const aside = files.find((f) => f.startsWith('p.json.bad-')) ?? '';
    expect(await readFile(join(dir, 'restarts', aside), 'utf8')).toContain('"total":-1');
  });

  it('accepts only what this version wrote', () => {
    expect(parseLedger('not json')).toBeUndefined();
    expect(parseLedger('{"version":2,"containers":{}}')).toBeUndefined();
    expect(parseLedger('{"version":1,"containers":[]}')).toBeUndefined();
    expect(
      parseLedger(JSON.stringify({ version: 1, containers: { a: { ...entry, restarts: ['x'] } } })),
    ).toBeUndefined();
    expect(parseLedger(JSON.stringify({ version: 1, containers: { a: entry } }))).toEqual({ a: entry });
  });

  it('refuses a project name that could leave its directory', async () => {
    await expect(createRestartLedgerStore(dir).load('../etc')).rejects.toThrow(/invalid project name/);
  });
});
