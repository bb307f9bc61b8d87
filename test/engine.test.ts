import { afterAll, describe, expect, it } from 'vitest';
import { docker, FIXTURE_IMAGE, PROJECT_LABEL, removeProject, uniqueProject } from './support/engine.js';

describe('engine and fixture image', () => {
  const project = uniqueProject('engine');
  afterAll(() => removeProject(project));

  it('runs a container from the fixture image and reads its output', async () => {
    const name = `${project}-probe-1`;
    await docker(
      'run',
      '--name',
      name,
      '--label',
      `${PROJECT_LABEL}=${project}`,
      FIXTURE_IMAGE,
      'sh',
      '-c',
      'echo hello from $(uname -s)',
    );
    expect(await docker('logs', name)).toBe('hello from Linux');
    expect(await docker('inspect', '--format', '{{.State.ExitCode}}', name)).toBe('0');
  });

  it('gives the fixture the applets the tests rely on', async () => {
    const out = await docker(
      'run',
      '--rm',
      FIXTURE_IMAGE,
      'sh',
      '-c',
      'for a in httpd wget nc sleep nslookup; do which $a; done',
    );
    expect(out.split('\n')).toEqual(['/bin/httpd', '/bin/wget', '/bin/nc', '/bin/sleep', '/bin/nslookup']);
  });
});
