// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose files spell ${VAR} literally
/**
 * compose's `!reset` and `!override` merge tags, in the places compose documents them (docs.docker.com
 * "Merge" / "Extend": an override file, `extends`, `include`), beside the unit cases of merge.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject } from './load-project.js';
import { expectErrors, expectOk, loadText, type TempProject, tempProject } from './temp-project.js';

let tmp: TempProject | undefined;
afterEach(() => {
  tmp?.remove();
  tmp = undefined;
});

const BASE = [
  'services:',
  '  app:',
  '    image: base/app:${TAG:-1}',
  '    command: ["echo", "base"]',
  '    ports: ["8080:80", "8443:443"]',
  '    environment: {FOO: base, KEEP: "1"}',
  '    depends_on: [db]',
  '    networks: [front, back]',
  '    labels: {a: "1"}',
  '  db:',
  '    image: base/db',
  'networks:',
  '  front: {}',
  '  back: {}',
  '',
].join('\n');

async function merged(override: string, env: Record<string, string> = {}) {
  tmp = tempProject({ 'compose.yaml': BASE, 'override.yaml': override });
  return loadProject({ workingDir: tmp.dir, files: ['compose.yaml', 'override.yaml'], env });
}

describe('!reset and !override in an override file', () => {
  it('!reset [] drops the base ports; !override replaces them (no append)', async () => {
    const reset = expectOk(await merged('services:\n  app:\n    ports: !reset []\n'));
    expect(reset.services.app?.ports).toEqual([]);
    const over = expectOk(await merged('services:\n  app:\n    ports: !override ["9090:80"]\n'));
    expect(over.services.app?.ports.map((p) => `${p.published}:${p.target}`)).toEqual(['9090:80']);
  });

  it('!reset {} empties a mapping; !override replaces a mapping instead of merging it', async () => {
    const reset = expectOk(await merged('services:\n  app:\n    environment: !reset {}\n'));
    expect(reset.services.app?.environment ?? {}).toEqual({});
    const over = expectOk(await merged('services:\n  app:\n    environment: !override {BAR: o}\n'));
    expect(over.services.app?.environment).toEqual({ BAR: 'o' });
  });

  it('!reset null drops a scalar key; !override on a scalar is a plain replace', async () => {
    const reset = expectOk(await merged('services:\n  app:\n    command: !reset null\n'));
    expect(reset.services.app?.command ?? null).toBeNull();
    const over = expectOk(await merged('services:\n  app:\n    command: !override ["echo", "over"]\n'));
    expect(over.services.app?.command).toEqual(['echo', 'over']);
  });

  it('!reset of depends_on and networks: the service has none of the base ones', async () => {
    const p = expectOk(
      await merged('services:\n  app:\n    depends_on: !reset []\n    networks: !override [front]\n'),
    );
    expect(Object.keys(p.services.app?.depends_on ?? {})).toEqual([]);
    expect(Object.keys(p.services.app?.networks ?? {})).toEqual(['front']);
  });

  it('interpolates inside !override', async () => {
    const p = expectOk(
      await merged('services:\n  app:\n    ports: !override ["${PORT}:80"]\n', { PORT: '7070' }),
    );
    expect(p.services.app?.ports.map((x) => x.published)).toEqual(['7070']);
  });

  it('a tag in the first file is harmless: nothing to reset, the value stays', async () => {
    const p = expectOk(
      await loadText(
        'services:\n  s:\n    image: x\n    ports: !override ["80:80"]\n    user: !reset null\n',
      ),
    );
    expect(p.services.s?.ports.map((x) => x.target)).toEqual([80]);
    expect(p.services.s?.user).toBeUndefined();
  });
});

describe('!reset and !override with extends', () => {
  it('a service that extends another can reset or override what it inherits', async () => {
    const p = expectOk(
      await loadText(
        [
          'services:',
          '  base: {image: x, ports: ["80:80"], environment: {A: "1", B: "1"}, user: bob}',
          '  web:',
          '    extends: base',
          '    ports: !reset []',
          '    environment: !override {C: "3"}',
          '    user: !reset null',
        ].join('\n'),
      ),
    );
    expect(p.services.web?.ports).toEqual([]);
    expect(p.services.web?.environment).toEqual({ C: '3' });
    expect(p.services.web?.user).toBeUndefined();
    // The base keeps its own.
    expect(p.services.base?.ports.map((x) => x.target)).toEqual([80]);
  });
});

describe('what compose-go tests (loader/reset_test.go, merge_reset_test.go)', () => {
  const two = async (base: string, override: string) => {
    tmp = tempProject({ 'compose.yaml': base, 'override.yaml': override });
    return loadProject({ workingDir: tmp.dir, files: ['compose.yaml', 'override.yaml'], env: {} });
  };
  const NET =
    'services:\n  s: {image: x, networks: [test]}\nnetworks:\n  test:\n    name: test\n    external: true\n';

  it('!reset {} removes a whole top-level network', async () => {
    const p = expectOk(
      await two(NET, 'services:\n  s:\n    networks: !reset []\nnetworks:\n  test: !reset {}\n'),
    );
    expect(Object.keys(p.networks)).not.toContain('test');
  });

  it('!override {} replaces a network: it is no longer external', async () => {
    const p = expectOk(await two(NET, 'networks:\n  test: !override {}\n'));
    expect(p.networks.test?.external ?? false).toBe(false);
  });

  it('an empty !reset drops build and an environment entry', async () => {
    const p = expectOk(
      await two(
        'services:\n  foo:\n    build: {context: ., dockerfile: foo.Dockerfile}\n    environment: {FOO: BAR}\n',
        'services:\n  foo:\n    image: foo\n    build: !reset\n    environment:\n      FOO: !reset\n',
      ),
    );
    expect(p.services.foo?.build).toBeUndefined();
    expect(p.services.foo?.image).toBe('foo');
    expect(p.services.foo?.environment ?? {}).toEqual({});
  });

  it('a key given twice, once with !reset, is refused with its line', async () => {
    const errors = expectErrors(
      await loadText(
        'services:\n  foo:\n    image: x\n    command: hello\n    command: !reset hello world\n',
      ),
    );
    expect(errors.some((e) => e.line === 5)).toBe(true);
  });
});

describe('an unknown tag', () => {
  it('is a located warning, and the value reads as if untagged', async () => {
    const r = await loadText('services:\n  s:\n    image: x\n    ports: !replace ["80"]\n');
    const p = expectOk(r);
    expect(p.services.s?.ports.map((x) => x.target)).toEqual([80]);
    expect(r.ok && r.warnings.find((w) => w.message.includes('!replace'))?.line).toBe(4);
  });
});
