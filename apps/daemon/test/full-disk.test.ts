import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../src/verbs/core.js';
import { finish, inlineSource, type TestCore } from './support/core.js';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from './support/engine.js';

const root = process.getuid?.() === 0;
const yaml = `services:\n  web:\n    image: ${FIXTURE_IMAGE}\n    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]\n    environment:\n      PAD: "${'x'.repeat(2048)}"\n`;

/** Fills the file system of `dir` to the last block. */
function fill(dir: string): string {
  const file = join(dir, 'filler');
  const chunk = Buffer.alloc(1024, 1);
  let data = Buffer.alloc(0);
  for (;;) {
    try {
      writeFileSync(file, Buffer.concat([data, chunk]));
      data = Buffer.concat([data, chunk]);
    } catch {
      writeFileSync(file, data);
      return file;
    }
  }
}

// Issue 16 item 3: ORC_STATE_DIR on a tiny tmpfs. Needs root (mount); CI runs as root.
describe.runIf(root)('a full state directory', () => {
  const project = uniqueProject('fulldisk');
  const dir = mkdtempSync(join(tmpdir(), 'orc-full-'));
  let core: TestCore | undefined;
  beforeAll(() => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', dir]);
  });
  afterAll(async () => {
    await core?.close();
    await removeProject(project);
    await docker('volume', 'rm', '-f', `orc-lease.${project}`).catch(() => undefined);
    execFileSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails up with the directory and the space, leaves no file and nothing on the engine; works once there is room', async () => {
    core = createCore({ stateDir: dir, supervise: false });
    await core.internals.ready;
    const filler = fill(dir);

    const refused = await core.up(inlineSource(project, yaml), {}).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toMatchObject({
      code: 'STATE_DIR_FULL',
      message: expect.stringMatching(new RegExp(`no space left in ${dir}/projects \\(\\d+ bytes free\\)`)),
    });
    expect(readdirSync(join(dir, 'projects'))).toEqual([]);
    expect(await docker('ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`)).toBe('');
    expect(await docker('volume', 'ls', '-q', '--filter', `name=orc-lease.${project}`)).toBe('');
    // Still serving.
    expect(await core.listProjects()).toBeDefined();

    rmSync(filler);
    const { record } = await finish(core, core.up(inlineSource(project, yaml), {}));
    expect(record.error).toBeUndefined();
    expect(await docker('inspect', '--format', '{{.State.Status}}', `${project}-web-1`)).toBe('running');
    expect(readdirSync(join(dir, 'projects'))).toEqual([`${project}.json`]);
  });
});
