import { describe, expect, it } from 'vitest';
import { serviceHash } from '../hash/service-hash.js';
import { loadProject } from '../load/load-project.js';
import { expectErrors, expectOk, loadText, tempProject } from '../load/temp-project.js';
import { renderConfig } from '../render/render-config.js';

const file = (watch: string, build = '    build: ./app\n') => `services:
  web:
    image: busybox
${build}    develop:
      watch:
${watch}
`;

describe('develop.watch', () => {
  it('loads every rule: paths from the project directory, targets normalised, ignore/include as lists', async () => {
    const p = expectOk(
      await loadText(
        file(`        - path: ./src
          action: sync
          target: /app/src/
          ignore: [node_modules/, "*.tmp"]
          include: "*.js"
          initial_sync: true
        - path: package.json
          action: rebuild
        - path: ./conf
          action: sync+restart
          target: /etc/app
        - path: ./www
          action: sync+exec
          target: /var/www
          exec:
            command: app reload --now
            user: root
        - path: ./bin
          action: restart`),
      ),
    );
    expect(p.services.web?.develop?.watch).toEqual([
      {
        path: '/srv/proj/src',
        action: 'sync',
        target: '/app/src/',
        ignore: ['node_modules/', '*.tmp'],
        include: ['*.js'],
        initial_sync: true,
      },
      { path: '/srv/proj/package.json', action: 'rebuild' },
      { path: '/srv/proj/conf', action: 'sync+restart', target: '/etc/app' },
      {
        path: '/srv/proj/www',
        action: 'sync+exec',
        target: '/var/www',
        exec: { command: ['app', 'reload', '--now'], user: 'root' },
      },
      { path: '/srv/proj/bin', action: 'restart' },
    ]);
    expect(renderConfig(p)).toContain('develop:\n      watch:');
  });

  it('no longer warns that develop is ignored', async () => {
    const r = await loadText(file('        - {path: ./src, action: sync, target: /app}'));
    expect(r.warnings.map((w) => w.message).join('\n')).not.toMatch(/develop/);
  });

  it('refuses a bad rule where it is written, with a hint', async () => {
    const cases: Array<[string, RegExp, number]> = [
      ['        - {path: ./src, action: copy}', /"copy" is not one of "rebuild"/, 7],
      ['        - action: sync\n          target: /x', /path/, 7],
      ['        - path: ./src', /action/, 7],
      ['        - {path: ./src, action: sync}', /needs a `target`/, 7],
      ['        - path: ./src\n          action: sync\n          target: app', /absolute/, 9],
      ['        - {path: ./src, action: sync+exec, target: /app}', /exec/, 7],
      [
        '        - path: ./src\n          action: sync+exec\n          target: /a\n          exec: {user: root}',
        /command/,
        10,
      ],
      [
        '        - {path: ./src, action: sync, target: /a, initial_sync: maybe}',
        /initial_sync|true or false|boolean/,
        7,
      ],
    ];
    for (const [rules, message, line] of cases) {
      const errs = expectErrors(await loadText(file(rules)));
      expect(errs[0]?.message, rules).toMatch(message);
      expect(errs[0]?.line, rules).toBe(line);
      expect(errs[0]?.file, rules).toBeDefined();
    }
  });

  it('rebuild needs build:', async () => {
    const errs = expectErrors(await loadText(file('        - {path: ./src, action: rebuild}', '')));
    expect(errs[0]?.message).toMatch(/rebuild action needs the service to have `build:`/);
    expect(errs[0]?.line).toBe(6);
  });

  it('warns of keys an action does not use', async () => {
    const r = await loadText(
      file('        - {path: ./src, action: rebuild, target: /a, initial_sync: true, exec: {command: x}}'),
    );
    expect(r.ok).toBe(true);
    const text = r.warnings.map((w) => w.message).join('\n');
    expect(text).toMatch(/target is ignored by the rebuild action/);
    expect(text).toMatch(/initial_sync is ignored/);
    expect(text).toMatch(/exec is used only by the sync\+exec action/);
  });

  it('a rule taken by extends from another directory keeps pointing at its files', async () => {
    const tmp = tempProject({
      'compose.yaml': 'services:\n  web:\n    extends: {file: common/base.yaml, service: app}\n',
      'common/base.yaml':
        'services:\n  app:\n    build: ./ctx\n    develop:\n      watch: [{path: ./src, action: sync, target: /app}]\n',
    });
    try {
      const p = expectOk(await loadProject({ workingDir: tmp.dir, env: {} }));
      expect(p.services.web?.develop?.watch[0]?.path).toBe(tmp.path('common/src'));
    } finally {
      tmp.remove();
    }
  });

  it('changing the watch rules does not change the config hash (the container stays)', async () => {
    const a = expectOk(await loadText(file('        - {path: ./src, action: sync, target: /a}')));
    const b = expectOk(await loadText(file('        - {path: ./other, action: sync, target: /b}')));
    expect(serviceHash(a.services.web!)).toBe(serviceHash(b.services.web!));
  });
});
