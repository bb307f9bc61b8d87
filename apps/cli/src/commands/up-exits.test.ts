import { describe, expect, it } from 'vitest';
import type { Api } from '../client/api.js';
import type { ContainerSummary, DaemonEvent, ProjectSummary } from '../client/types.js';
import { attachedServices, watchExits } from './attach.js';
import { exitOf, openExitFeed } from './up-exits.js';
import { dependencyClosure } from './up-run.js';

const die = (project: string, service: string, exitCode: string): DaemonEvent => ({
  time: '2026-01-01T00:00:00Z',
  type: 'container',
  project,
  service,
  container: `${project}-${service}-1`,
  action: 'die',
  attributes: { exitCode },
});

/** A daemon whose event stream yields `events` and then stays open until the feed closes. */
function eventClient(events: DaemonEvent[], containers: ContainerSummary[] = []): Api {
  return {
    events: async function* (_project: string | undefined, signal?: AbortSignal) {
      yield* events;
      await new Promise((resolve) => signal?.addEventListener('abort', resolve));
    },
    getProject: async () => ({ containers }) as ProjectSummary,
  } as unknown as Api;
}

describe('exitOf', () => {
  it('reads a die with its exit code; other events are not exits', () => {
    expect(exitOf(die('p', 'web', '3'))).toEqual({
      project: 'p',
      service: 'web',
      container: 'p-web-1',
      exitCode: 3,
    });
    expect(exitOf({ ...die('p', 'web', '0'), action: 'start' })).toBeUndefined();
    expect(exitOf({ ...die('p', 'web', '0'), type: 'health' })).toBeUndefined();
  });
});

describe('openExitFeed', () => {
  it('replays the exits seen before follow, of that project only, then the new ones', async () => {
    const feed = openExitFeed(eventClient([die('other', 'a', '1'), die('p', 'web', '3')]));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const seen: string[] = [];
    feed.follow('p', (e) => seen.push(`${e.service}:${e.exitCode}`));
    feed.close();
    expect(seen).toEqual(['web:3']);
  });
});

describe('watchExits with events', () => {
  it('reports an exit the poll never sees (the container is running again), each die once', async () => {
    // The poll always finds it running (a restart policy brought it back): only the events tell.
    const running = [
      { Name: 'p-crash-1', Service: 'crash', State: 'running', ExitCode: 0 } as ContainerSummary,
    ];
    const client = eventClient([die('p', 'crash', '3'), die('p', 'crash', '3')], running);
    const feed = openExitFeed(client);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const exits: string[] = [];
    const watch = watchExits(
      client,
      'p',
      attachedServices([], undefined, undefined),
      (name, code) => exits.push(`${name}:${code}`),
      feed,
    );
    watch.stop();
    feed.close();
    // Two dies are two exits (compose prints each); none came from the poll.
    expect(exits).toEqual(['crash-1:3', 'crash-1:3']);
  });
});

describe('dependencyClosure', () => {
  it('the named services and what they depend on, transitively, in list or map form', () => {
    const project = {
      tests: { depends_on: { api: { condition: 'service_started' } } },
      api: { depends_on: ['db'] },
      db: {},
      other: {},
    };
    expect(dependencyClosure(project, ['tests']).sort()).toEqual(['api', 'db', 'tests']);
    expect(dependencyClosure(project, ['db'])).toEqual(['db']);
  });
});
