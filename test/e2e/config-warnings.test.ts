/** `orc config` says what it does not act on, located, on stderr (issue 21 item 7), as compose warns. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, explain, type OrcEnv, orc, orcEnv, stopDaemon } from './orc.js';

describe('orc config warnings', () => {
  const o: OrcEnv = orcEnv('cfgwarn');
  let dir: string;
  beforeAll(() => {
    assertBuilt();
    dir = join(o.dir, 'project');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  web:',
        '    image: busybox',
        '    build:',
        '      context: .',
        '      entitlements: [network.host]',
        '    oom_kill_disable: true',
        '    gpus: all',
        'models:',
        '  llm:',
        '    model: ai/smollm2',
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await stopDaemon(o);
  });

  it('prints each ignored key with file:line:col on stderr and the rendering on stdout', async () => {
    const r = await orc(o, ['-p', 'cfgwarn', 'config'], { cwd: dir });
    expect(r.code, explain(r)).toBe(0);
    const file = join(dir, 'compose.yaml');
    expect(r.stderr).toContain(
      `warning: ${file}:6:7: "build.entitlements" is not supported by orc yet and is ignored`,
    );
    expect(r.stderr).toContain(
      `warning: ${file}:7:5: "oom_kill_disable" is not supported by orc yet and is ignored`,
    );
    expect(r.stderr).toContain(
      `warning: ${file}:9:1: the top-level "models" is not supported by orc yet and is ignored`,
    );
    expect(r.stdout).toMatch(/^name: cfgwarn\n/);
    // `up` says the same, located (here a dry run: nothing is created).
    const up = await orc(o, ['-p', 'cfgwarn', 'up', '-d', '--dry-run'], { cwd: dir });
    expect(up.code, explain(up)).toBe(0);
    expect(up.stderr).toContain(
      `WARN ${file}:7:5: "oom_kill_disable" is not supported by orc yet and is ignored`,
    );
    expect(up.stderr).toContain(
      `WARN ${file}:9:1: the top-level "models" is not supported by orc yet and is ignored`,
    );
    const quiet = await orc(o, ['-p', 'cfgwarn', 'config', '-q'], { cwd: dir });
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toBe('');
  });

  it('--no-consistency renders a project with an undefined dependency, and says what is wrong (issue 21 item 5)', async () => {
    const other = join(o.dir, 'inconsistent');
    mkdirSync(other, { recursive: true });
    writeFileSync(
      join(other, 'compose.yaml'),
      'services:\n  web:\n    image: busybox\n    depends_on: [missing]\n',
    );
    const strict = await orc(o, ['-p', 'cfgcons', 'config'], { cwd: other });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/undefined service "missing"/);
    const relaxed = await orc(o, ['-p', 'cfgcons', 'config', '--no-consistency'], { cwd: other });
    expect(relaxed.code, explain(relaxed)).toBe(0);
    expect(relaxed.stderr).toMatch(/warning: .*compose.yaml:4:\d+: .*undefined service "missing"/);
    expect(relaxed.stdout).toContain('missing');
  });
});
