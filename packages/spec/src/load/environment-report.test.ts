import { afterEach, describe, expect, it } from 'vitest';
import { loadProject } from './load-project.js';
import { type TempProject, tempProject } from './temp-project.js';

let tmp: TempProject | undefined;
afterEach(() => {
  tmp?.remove();
  tmp = undefined;
});

describe('the interpolation environment a load reports (config --environment)', () => {
  it('is .env under the client environment, with the project name', async () => {
    tmp = tempProject({
      'compose.yaml': 'services:\n  s:\n    image: img\n',
      '.env': 'A=dotenv\nB=dotenv\n',
    });
    const r = await loadProject({
      workingDir: tmp.dir,
      env: { B: 'client', C: 'client' },
      projectName: 'demo',
    });
    expect(r.ok && r.environment).toEqual({
      A: 'dotenv',
      B: 'client',
      C: 'client',
      COMPOSE_PROJECT_NAME: 'demo',
    });
  });

  it('keeps the client’s own COMPOSE_PROJECT_NAME', async () => {
    tmp = tempProject({ 'compose.yaml': 'services:\n  s:\n    image: img\n' });
    const r = await loadProject({ workingDir: tmp.dir, env: { COMPOSE_PROJECT_NAME: 'fromenv' } });
    expect(r.ok && r.environment).toEqual({ COMPOSE_PROJECT_NAME: 'fromenv' });
  });
});
