import { describe, expect, it } from 'vitest';
import { containerTone, projectCounts, projectTone, serviceState } from './status.js';
import type { ContainerSummary, ProjectSummary } from './types.js';
import { layers } from './views/graph.js';

const c = (over: Partial<ContainerSummary>): ContainerSummary => ({
  ID: 'id',
  Name: 'p-web-1',
  Service: 'web',
  Number: 1,
  State: 'running',
  Health: '',
  ExitCode: 0,
  Image: 'img',
  Status: 'Up',
  RestartCount: 0,
  Publishers: [],
  ...over,
});

describe('page states', () => {
  it('colours containers: running green, unhealthy and crashed red, a clean exit grey', () => {
    expect(containerTone(c({}))).toBe('ok');
    expect(containerTone(c({ Health: 'unhealthy' }))).toBe('bad');
    expect(containerTone(c({ Health: 'starting' }))).toBe('warn');
    expect(containerTone(c({ State: 'exited', ExitCode: 137 }))).toBe('bad');
    expect(containerTone(c({ State: 'exited', ExitCode: 0 }))).toBe('idle');
    expect(containerTone(c({ State: 'exited', ExitCode: 1 }), 'stopped')).toBe('idle');
    expect(containerTone(c({ State: 'removed' }))).toBe('bad');
  });

  it('counts a project as running n/m, with unhealthy, restarting and stopped', () => {
    const p: ProjectSummary = {
      name: 'p',
      workingDir: '/p',
      configFiles: [],
      registered: true,
      status: '',
      services: [
        { name: 'web', desired: 'running', replicas: 2 },
        { name: 'db', desired: 'running', replicas: 1 },
        { name: 'job', desired: 'stopped', replicas: 1 },
      ],
      containers: [
        c({ Name: 'p-web-1', Health: 'unhealthy' }),
        c({ Name: 'p-web-2', State: 'restarting' }),
        c({ Name: 'p-db-1', Service: 'db' }),
        c({ Name: 'p-job-1', Service: 'job', State: 'exited' }),
      ],
    };
    const k = projectCounts(p);
    expect(k).toEqual({ running: 2, expected: 3, unhealthy: 1, restarting: 1, stopped: 1 });
    expect(projectTone(k)).toBe('bad');
  });

  it('a service that should run and has no container is missing (red)', () => {
    expect(serviceState({ name: 'web', desired: 'running', replicas: 1 }, [])).toEqual({
      label: 'missing',
      tone: 'bad',
    });
    expect(serviceState({ name: 'web', desired: 'stopped', replicas: 1 }, [])).toEqual({
      label: 'stopped',
      tone: 'idle',
    });
    expect(serviceState({ name: 'web', desired: 'running', replicas: 1 }, [c({})]).label).toBe('running');
    expect(serviceState({ name: 'web', desired: 'running', replicas: 2 }, [c({})])).toEqual({
      label: 'running 1/2',
      tone: 'bad',
    });
  });

  it('lays the depends_on graph out by longest chain, surviving a cycle', () => {
    const d = layers([
      { name: 'web', dependsOn: ['api'], tone: 'ok', label: '' },
      { name: 'api', dependsOn: ['db', 'cache'], tone: 'ok', label: '' },
      { name: 'db', dependsOn: [], tone: 'ok', label: '' },
      { name: 'cache', dependsOn: ['db'], tone: 'ok', label: '' },
      { name: 'x', dependsOn: ['y'], tone: 'ok', label: '' },
      { name: 'y', dependsOn: ['x'], tone: 'ok', label: '' },
    ]);
    expect(Object.fromEntries(d)).toMatchObject({ db: 0, cache: 1, api: 2, web: 3 });
    expect(d.has('x') && d.has('y')).toBe(true);
  });
});
