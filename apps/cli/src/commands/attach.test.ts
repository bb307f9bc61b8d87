import { describe, expect, it } from 'vitest';
import type { Api } from '../client/api.js';
import type { ContainerSummary, LogLine, OperationRecord, ProjectSummary } from '../client/types.js';
import type { Context } from '../context.js';
import { palette } from '../render/color.js';
import { attachedServices, attachLogs, watchExits } from './attach.js';

const container = (name: string, service: string, State: string, ExitCode = 0) =>
  ({ Name: name, Service: service, State, ExitCode }) as ContainerSummary;

/** A client whose project answers walk through the given states, one per poll. */
function fakeClient(states: ContainerSummary[][]): Api {
  let i = 0;
  return {
    getProject: async () => ({ containers: states[Math.min(i++, states.length - 1)] }) as ProjectSummary,
  } as unknown as Api;
}

describe('watchExits', () => {
  it('reports each exit once and resolves when no attached container is alive', async () => {
    const client = fakeClient([
      [container('demo-a-1', 'a', 'running'), container('demo-b-1', 'b', 'running')],
      [container('demo-a-1', 'a', 'exited', 3), container('demo-b-1', 'b', 'running')],
      [container('demo-a-1', 'a', 'exited', 3), container('demo-b-1', 'b', 'exited', 0)],
    ]);
    const exits: string[] = [];
    const watch = watchExits(client, 'demo', attachedServices([], undefined, undefined), (name, code) =>
      exits.push(`${name}:${code}`),
    );
    await watch.allExited;
    watch.stop();
    expect(exits).toEqual(['a-1:3', 'b-1:0']);
  }, 10_000);

  it('only watches the services named on the command line', async () => {
    const client = fakeClient([
      [container('demo-a-1', 'a', 'exited', 1), container('demo-b-1', 'b', 'running')],
    ]);
    const exits: string[] = [];
    const watch = watchExits(client, 'demo', attachedServices(['a'], undefined, undefined), (name, code) =>
      exits.push(`${name}:${code}`),
    );
    await watch.allExited;
    watch.stop();
    expect(exits).toEqual(['a-1:1']);
  });
});

/** A fake daemon for attachLogs: the project's containers before and after a stop, and their log lines. */
function fakeDaemon(before: ContainerSummary[][], afterStop: ContainerSummary[], lines: LogLine[]) {
  let polls = 0;
  const stops: Record<string, unknown>[] = [];
  const queries: unknown[] = [];
  const client = {
    getProject: async () =>
      ({
        containers: stops.length ? afterStop : before[Math.min(polls++, before.length - 1)],
      }) as ProjectSummary,
    logs: async function* (_name: string, query: unknown, signal?: AbortSignal) {
      queries.push(query);
      yield* lines;
      await new Promise((resolve) => signal?.addEventListener('abort', resolve));
    },
    action: async (_target: unknown, action: string, body: Record<string, unknown>) => {
      if (action === 'stop') stops.push(body);
      return { id: 'op-stop' } as OperationRecord;
    },
    progress: async function* () {
      yield { type: 'end', operation: { id: 'op-stop', state: 'succeeded' } as OperationRecord };
    },
  } as unknown as Api;
  return { client, stops, queries };
}

function fakeContext(): { ctx: Context; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const ctx = {
    globals: { progress: 'quiet' },
    out: palette(true),
    err: palette(false),
    stdout: {
      write: (s: string) => {
        out += s;
        return true;
      },
    },
    stderr: {
      write: (s: string) => {
        err += s;
        return true;
      },
      isTTY: false,
    },
  } as unknown as Context;
  return { ctx, out: () => out, err: () => err };
}

const logLine = (service: string, text: string): LogLine => ({
  service,
  container: `demo-${service}-1`,
  stream: 'stdout',
  time: '2026-01-01T00:00:00.000000001Z',
  line: text,
});

describe('attachLogs', () => {
  const running = [container('demo-web-1', 'web', 'running'), container('demo-tests-1', 'tests', 'running')];
  const testsDone = [
    container('demo-web-1', 'web', 'running'),
    container('demo-tests-1', 'tests', 'exited', 3),
  ];
  const allDown = [
    container('demo-web-1', 'web', 'exited', 143),
    container('demo-tests-1', 'tests', 'exited', 3),
  ];

  it('--exit-code-from: aborts on the first exit, stops the services, resolves to the named service’s code', async () => {
    const { client, stops } = fakeDaemon([running, testsDone], allDown, [logLine('tests', 'ok')]);
    const { ctx, out, err } = fakeContext();
    const code = await attachLogs(ctx, client, 'demo', 'now', {
      services: [],
      attached: attachedServices([], undefined, undefined),
      logServices: [],
      exitCodeFrom: 'web',
    });
    // web's code: the one it was stopped with, as compose reports it.
    expect(code).toBe(143);
    expect(stops).toEqual([{}]);
    expect(err()).toContain('Aborting on container exit...');
    expect(out()).toMatch(/^tests-1 exited with code 3$/m);
    expect(out()).not.toMatch(/web-1 exited/);
  }, 10_000);

  it('--abort-on-container-exit: the first container to exit gives the code', async () => {
    const { client, stops } = fakeDaemon([running, testsDone], allDown, []);
    const { ctx } = fakeContext();
    const code = await attachLogs(ctx, client, 'demo', 'now', {
      services: ['tests'],
      attached: attachedServices(['tests'], undefined, undefined),
      logServices: ['tests'],
      abortOnExit: true,
      timeoutSeconds: 2,
    });
    expect(code).toBe(3);
    expect(stops).toEqual([{ services: ['tests'], timeoutSeconds: 2 }]);
  }, 10_000);

  it('renders --no-log-prefix, --timestamps, --no-color, and only the attached services', async () => {
    const done = [
      container('demo-web-1', 'web', 'exited', 0),
      container('demo-tests-1', 'tests', 'exited', 0),
    ];
    const { client, queries } = fakeDaemon([running, done], done, [
      logLine('web', 'from web'),
      logLine('tests', 'from tests'),
    ]);
    const { ctx, out } = fakeContext();
    const code = await attachLogs(ctx, client, 'demo', 'now', {
      services: [],
      attached: attachedServices([], undefined, ['web']),
      logServices: [],
      prefix: false,
      timestamps: true,
      color: false,
    });
    expect(code).toBe(0);
    expect(queries).toEqual([{ follow: true, since: 'now', timestamps: true }]);
    expect(out()).toBe(
      'Attaching to tests-1\n2026-01-01T00:00:00.000000001Z from tests\ntests-1 exited with code 0\n',
    );
  }, 10_000);

  it('colours the prefix unless --no-color', async () => {
    const done = [container('demo-web-1', 'web', 'exited', 0)];
    const lines = [logLine('web', 'hi')];
    const plain = fakeContext();
    await attachLogs(plain.ctx, fakeDaemon([done], done, lines).client, 'demo', 'now', {
      services: [],
      attached: attachedServices([], undefined, undefined),
      logServices: [],
      color: false,
    });
    expect(plain.out()).toContain('web-1  | hi\n');
    const coloured = fakeContext();
    await attachLogs(coloured.ctx, fakeDaemon([done], done, lines).client, 'demo', 'now', {
      services: [],
      attached: attachedServices([], undefined, undefined),
      logServices: [],
    });
    expect(coloured.out()).toContain('\x1b[36mweb-1  |\x1b[39m hi\n');
  }, 10_000);
});
