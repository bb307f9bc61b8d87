/**
 * `develop.watch` on the real engine, through the built CLI and its autostarted daemon: sync (only what
 * changed, removals too), ignore, sync+restart, sync+exec, rebuild (new container), events naming the files, a
 * detached watch that outlives the CLI and the daemon's restart, and `watch --stop` / `down` ending it.
 * Presence is polled with generous timeouts; the latency itself is measured in bench/watch/.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';
import { assertBuilt, daemonLog, explain, type OrcEnv, orc, orcEnv, start, stopDaemon } from './orc.js';

/** `orc …` in the background, its stdout so far readable at any time. */
function background(o: OrcEnv, args: string[], cwd: string) {
  const run = start(o, args, { cwd });
  let out = '';
  run.child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  return { ...run, out: () => out };
}

const poll = async <T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> => {
  const end = Date.now() + ms;
  let v = await read();
  while (!ok(v) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    v = await read();
  }
  return v;
};

interface WatchEvent {
  type: string;
  action: string;
  service?: string;
  attributes?: Record<string, string>;
}

describe('orc watch (develop.watch)', () => {
  const o: OrcEnv = orcEnv('watch');
  const project = uniqueProject('watch');
  const dir = join(o.dir, 'app');
  const container = `${project}-web-1`;
  const p = (...args: string[]) => orc(o, ['-p', project, ...args], { cwd: dir });
  const ls = () => orc(o, ['ls'], { cwd: dir });
  const cat = (path: string) => docker('exec', container, 'cat', path).catch(() => '<missing>');
  const exists = (path: string) =>
    docker('exec', container, 'sh', '-c', `test -e ${path} && echo yes || echo no`).catch(() => 'no');
  const inspect = (format: string) => docker('inspect', '-f', format, container).catch(() => '');
  const write = (rel: string, text: string) => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };

  beforeAll(async () => {
    assertBuilt();
    mkdirSync(join(dir, 'src'), { recursive: true });
    mkdirSync(join(dir, 'conf'), { recursive: true });
    mkdirSync(join(dir, 'hook'), { recursive: true });
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${FIXTURE_IMAGE}\nRUN mkdir -p /app/src /etc/app\n`);
    writeFileSync(join(dir, '.dockerignore'), 'src/secret.txt\n');
    writeFileSync(join(dir, 'src', 'seed.txt'), 'seed\n');
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  web:',
        '    build: .',
        `    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait"]`,
        '    stop_grace_period: 1s',
        '    develop:',
        '      watch:',
        '        - path: ./src',
        '          action: sync',
        '          target: /app/src',
        '          initial_sync: true',
        '          ignore: [ignored/, "*.skip"]',
        '        - path: ./conf',
        '          action: sync+restart',
        '          target: /etc/app',
        '        - path: ./hook',
        '          action: sync+exec',
        '          target: /app/hook',
        '          exec:',
        '            command: ["sh", "-c", "cp /app/hook/v.txt /tmp/exec.out"]',
        '        - path: ./Dockerfile',
        '          action: rebuild',
        '',
      ].join('\n'),
    );
  }, 60_000);

  afterAll(async () => {
    await stopDaemon(o);
    await removeProject(project);
    await docker('rmi', '-f', `${project}-web`).catch(() => undefined);
  });

  it('up -d --watch: watches in the daemon, said by ls and ps; the initial sync copied the path', async () => {
    const up = await p('up', '-d', '--watch');
    expect(up.code, explain(up)).toBe(0);
    expect(up.stderr).toMatch(/watching web \(4 rules, \d+ director(y|ies)\) in the daemon/);
    expect(
      await poll(
        () => cat('/app/src/seed.txt'),
        (v) => v === 'seed',
      ),
    ).toBe('seed');
    const listed = await ls();
    expect(listed.stdout, explain(listed)).toMatch(/WATCH/);
    expect(listed.stdout).toMatch(new RegExp(`^${project}\\s.*\\syes\\s+web\\s*$`, 'm'));
    const ps = await p('ps');
    expect(ps.code, explain(ps)).toBe(0);
    expect(ps.stderr).toMatch(/watching web/);
  });

  it('a file written on the host (after the CLI has gone) is in the container; a removed one goes', async () => {
    const events = background(o, ['-p', project, 'events', '--json'], dir);
    try {
      // The stream is open once a sync shows in it.
      await poll(
        async () => {
          write('src/warm.txt', `${Date.now()}\n`);
          await new Promise((r) => setTimeout(r, 300));
          return events.out();
        },
        (out) => out.includes('warm.txt'),
        20_000,
      );
      write('src/a.txt', 'one\n');
      write('src/new/deep/b.txt', 'two\n');
      expect(
        await poll(
          () => cat('/app/src/a.txt'),
          (v) => v === 'one',
        ),
      ).toBe('one');
      expect(
        await poll(
          () => cat('/app/src/new/deep/b.txt'),
          (v) => v === 'two',
        ),
      ).toBe('two');
      write('src/a.txt', 'changed\n');
      expect(
        await poll(
          () => cat('/app/src/a.txt'),
          (v) => v === 'changed',
        ),
      ).toBe('changed');
      rmSync(join(dir, 'src/a.txt'));
      expect(
        await poll(
          () => exists('/app/src/a.txt'),
          (v) => v === 'no',
        ),
      ).toBe('no');
      // The events name the file that caused each sync.
      const syncs = () =>
        events
          .out()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as WatchEvent)
          .filter((e) => e.type === 'watch' && e.action === 'sync' && e.service === 'web');
      const seen = await poll(
        async () => syncs(),
        (l) => l.some((e) => e.attributes?.removed === '1'),
      );
      expect(
        seen.some((e) => e.attributes?.files?.split(',').includes('a.txt')),
        events.out(),
      ).toBe(true);
      expect(seen.some((e) => e.attributes?.files?.split(',').includes('new/deep/b.txt'))).toBe(true);
    } finally {
      events.child.kill('SIGINT');
      await events.result;
    }
  });

  it('ignore holds: ignored files (rule ignore, the context’s .dockerignore) never reach the container', async () => {
    write('src/ignored/x.txt', 'no\n');
    write('src/y.skip', 'no\n');
    write('src/secret.txt', 'no\n');
    write('src/.z.txt.swp', 'no\n');
    write('src/after.txt', 'sentinel\n');
    expect(
      await poll(
        () => cat('/app/src/after.txt'),
        (v) => v === 'sentinel',
      ),
    ).toBe('sentinel');
    // Written before the sentinel, in the same batch or earlier: had they been synced, they would be there.
    await new Promise((r) => setTimeout(r, 1000));
    for (const f of ['ignored/x.txt', 'y.skip', 'secret.txt', '.z.txt.swp']) {
      expect(await exists(`/app/src/${f}`), f).toBe('no');
    }
  });

  it('sync+restart: the file is synced and the container restarted', async () => {
    const before = await inspect('{{.State.StartedAt}}');
    write('conf/app.conf', 'v=1\n');
    const after = await poll(
      () => inspect('{{.State.StartedAt}}'),
      (v) => v !== '' && v !== before,
      20_000,
    );
    expect(after).not.toBe(before);
    expect(
      await poll(
        () => cat('/etc/app/app.conf'),
        (v) => v === 'v=1',
      ),
    ).toBe('v=1');
  });

  it('sync+exec: the file is synced, then the command runs in the container', async () => {
    write('hook/v.txt', 'v1\n');
    expect(
      await poll(
        () => cat('/tmp/exec.out'),
        (v) => v === 'v1',
      ),
    ).toBe('v1');
    write('hook/v.txt', 'v2\n');
    expect(
      await poll(
        () => cat('/tmp/exec.out'),
        (v) => v === 'v2',
      ),
    ).toBe('v2');
  });

  it('a change under a rebuild path rebuilds the image and recreates the container', async () => {
    const before = await inspect('{{.Id}}');
    write('Dockerfile', `FROM ${FIXTURE_IMAGE}\nRUN mkdir -p /app/src /etc/app\nLABEL watch.rebuilt=yes\n`);
    const after = await poll(
      () => inspect('{{.Id}}'),
      (v) => v !== '' && v !== before,
      90_000,
    );
    expect(after, daemonLog(o)).not.toBe(before);
    expect(await inspect('{{index .Config.Labels "watch.rebuilt"}}')).toBe('yes');
  });

  it('the detached watch comes back with a restarted daemon', async () => {
    const pid = o.daemonPid;
    expect(pid).toBeDefined();
    process.kill(pid as number, 'SIGTERM');
    await poll(
      async () => {
        try {
          process.kill(pid as number, 0);
          return true;
        } catch {
          return false;
        }
      },
      (alive) => !alive,
      15_000,
    );
    o.daemonPid = undefined;
    // The next command starts a daemon on the same state directory; it resumes the recorded watch.
    const relisted = await poll(
      () => ls(),
      (r) => new RegExp(`^${project}\\s.*\\sweb\\s*$`, 'm').test(r.stdout),
      20_000,
    );
    expect(relisted.stdout, explain(relisted)).toMatch(new RegExp(`^${project}\\s.*\\sweb\\s*$`, 'm'));
    write('src/after-restart.txt', 'back\n');
    expect(
      await poll(
        () => cat('/app/src/after-restart.txt'),
        (v) => v === 'back',
      ),
    ).toBe('back');
  });

  it('watch --stop ends it; a foreground watch ends with its CLI; down ends a detached one', async () => {
    const stop = await p('watch', '--stop');
    expect(stop.code, explain(stop)).toBe(0);
    expect(stop.stderr).toMatch(/watch stopped/);
    write('src/unwatched.txt', 'x\n');
    await new Promise((r) => setTimeout(r, 1500));
    expect(await exists('/app/src/unwatched.txt')).toBe('no');
    expect((await ls()).stdout).toMatch(new RegExp(`^${project}\\s.*\\syes\\s+-\\s*$`, 'm'));

    const fg = background(o, ['-p', project, 'watch', '--no-up'], dir);
    try {
      expect(
        await poll(
          async () => fg.out(),
          (s) => /watch started/.test(s),
          20_000,
        ),
      ).toMatch(/watch started/);
      write('src/fg.txt', 'fg\n');
      expect(
        await poll(
          () => cat('/app/src/fg.txt'),
          (v) => v === 'fg',
        ),
      ).toBe('fg');
      expect(
        await poll(
          async () => fg.out(),
          (s) => /watch sync web.*fg\.txt/.test(s),
        ),
      ).toMatch(/fg\.txt/);
    } finally {
      fg.child.kill('SIGINT');
    }
    const ended = await fg.result;
    expect(ended.code, explain(ended)).toBe(0);
    expect(
      (
        await poll(
          () => ls(),
          (r) => new RegExp(`^${project}\\s.*\\s-\\s*$`, 'm').test(r.stdout),
        )
      ).stdout,
    ).toMatch(new RegExp(`^${project}\\s.*\\syes\\s+-\\s*$`, 'm'));

    const again = await p('watch', '-d', '--no-up');
    expect(again.code, explain(again)).toBe(0);
    const down = await p('down');
    expect(down.code, explain(down)).toBe(0);
    const up = await p('up', '-d');
    expect(up.code, explain(up)).toBe(0);
    // Down forgot the watch: the project is back, unwatched.
    expect((await ls()).stdout).toMatch(new RegExp(`^${project}\\s.*\\syes\\s+-\\s*$`, 'm'));
  });

  it('up --watch (attached): watch events interleave with the logs; Ctrl-C ends both', async () => {
    const attached = background(o, ['-p', project, 'up', '--watch'], dir);
    try {
      expect(
        await poll(
          async () => attached.out(),
          (s) => /watch started/.test(s),
          30_000,
        ),
      ).toMatch(/watch started/);
      write('src/attached.txt', 'att\n');
      expect(
        await poll(
          () => cat('/app/src/attached.txt'),
          (v) => v === 'att',
        ),
      ).toBe('att');
      expect(
        await poll(
          async () => attached.out(),
          (s) => /watch sync web.*attached\.txt/.test(s),
        ),
      ).toMatch(/attached\.txt/);
    } finally {
      attached.child.kill('SIGINT');
    }
    await attached.result;
    expect(
      (
        await poll(
          () => ls(),
          (r) => !new RegExp(`^${project}\\s.*\\sweb\\s*$`, 'm').test(r.stdout),
        )
      ).stdout,
    ).not.toMatch(new RegExp(`^${project}\\s.*\\sweb\\s*$`, 'm'));
  });
});
