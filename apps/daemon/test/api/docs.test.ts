/** The curl examples of docs/api.md and docs/running-as-a-service.md, run as written against a real daemon. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';
import { cleanupDaemon, type DaemonProcess, startDaemon } from './support/daemon.js';

const run = promisify(execFile);
const docs = fileURLToPath(new URL('../../../../docs/', import.meta.url));

/** The first ```bash block after a heading. */
function bashBlockAfter(file: string, heading: string): string {
  const text = readFileSync(join(docs, file), 'utf8');
  const from = text.indexOf(heading);
  expect(from, `${heading} in ${file}`).toBeGreaterThanOrEqual(0);
  const match = /```bash\n([\s\S]*?)```/.exec(text.slice(from));
  expect(match, `a bash block after ${heading}`).not.toBeNull();
  return match?.[1] ?? '';
}

describe('curl examples in the docs', () => {
  const project = uniqueProject('docs');
  let d: DaemonProcess;
  let runtime: string;
  let workdir: string;

  beforeAll(async () => {
    runtime = mkdtempSync(join(tmpdir(), 'orc-xdg-'));
    workdir = mkdtempSync(join(tmpdir(), 'orc-docs-project-'));
    writeFileSync(
      join(workdir, 'compose.yaml'),
      `name: ${project}\nservices:\n  app:\n    image: ${FIXTURE_IMAGE}\n    command: sleep 3600\n    stop_grace_period: 1s\n`,
    );
    // The examples find the socket through XDG_RUNTIME_DIR, as a user's shell would.
    d = await startDaemon({ host: `unix://${runtime}/orc/orc.sock` });
  });
  afterAll(async () => {
    await d?.stop();
    await removeProject(project);
    cleanupDaemon(d);
    rmSync(runtime, { recursive: true, force: true });
    rmSync(workdir, { recursive: true, force: true });
  });

  it('shows the same three examples in both documents', () => {
    const api = bashBlockAfter('api.md', '## Examples (unix socket)');
    const service = bashBlockAfter('running-as-a-service.md', '## Reaching the daemon');
    expect(api).toBe(service);
    expect(api.match(/curl -s --unix-socket/g)).toHaveLength(3);
  });

  it('run as written: health, projects, up', async () => {
    const script = bashBlockAfter('api.md', '## Examples (unix socket)');
    const { stdout } = await run(
      'bash',
      ['-euo', 'pipefail', '-c', script.replace(/\n(curl)/g, '\necho\n$1')],
      {
        cwd: workdir,
        env: { PATH: process.env.PATH, XDG_RUNTIME_DIR: runtime },
      },
    );
    const [health, projects, up] = stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(health).toMatchObject({ status: 'ok', engine: { version: expect.any(String) } });
    expect(projects).toHaveProperty('projects');
    expect(up.operation).toMatchObject({ project, kind: 'up', state: 'succeeded' });
    const status = await d.request('GET', `/v1/projects/${project}`);
    expect(status.json.containers.map((c: { State: string }) => c.State)).toEqual(['running']);
  });
});
