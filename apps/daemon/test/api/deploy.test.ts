/** deploy/: the systemd unit passes `systemd-analyze verify`; install.sh installs a working orc and removes it. */
import { execFile } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const unitText = readFileSync(join(root, 'deploy/orc.service'), 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'orc-deploy-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function which(cmd: string): Promise<boolean> {
  return run('sh', ['-c', `command -v ${cmd}`]).then(
    () => true,
    () => false,
  );
}

describe('deploy/orc.service', () => {
  it('has the settings the service relies on', () => {
    for (const line of [
      'After=docker.service network-online.target',
      'Wants=docker.service',
      'Restart=on-failure',
      'StateDirectory=orc',
      'RuntimeDirectory=orc',
      'ExecStart=/usr/local/bin/orc daemon $ORC_DAEMON_ARGS',
      'EnvironmentFile=-/etc/orc/orc.env',
      'ExecReload=/bin/kill -HUP $MAINPID',
      'WantedBy=multi-user.target',
    ]) {
      expect(unitText).toContain(line);
    }
  });

  it('passes systemd-analyze verify', async (ctx) => {
    if (!(await which('systemd-analyze'))) {
      ctx.skip('systemd-analyze is not installed here (apt-get install systemd to run this test)');
    }
    // verify insists that ExecStart exists; point it at a stand-in so the check is about the unit itself.
    const bin = join(scratch, 'orc');
    writeFileSync(bin, '#!/bin/sh\n', { mode: 0o755 });
    const unit = join(scratch, 'orc.service');
    writeFileSync(unit, unitText.replace('/usr/local/bin/orc ', `${bin} `));
    const result = await run('systemd-analyze', ['verify', unit]).then(
      (r) => ({ code: 0, stderr: r.stderr }),
      (e: { code: number; stderr: string }) => e,
    );
    // Unknown or bad directives are only warnings (exit 0): any line naming our unit fails the test too.
    expect(result.stderr.split('\n').filter((l) => l.includes('orc.service'))).toEqual([]);
    expect(result.code).toBe(0);
  });
});

describe('deploy/install.sh', () => {
  it('installs a working orc under a prefix, idempotently, and uninstalls it', async () => {
    const prefix = join(scratch, 'prefix');
    const unitDir = join(scratch, 'units');
    const configDir = join(scratch, 'etc-orc');
    // A compose plugin that was there before: moved aside by --compose-plugin, put back by --uninstall.
    const pluginDir = join(scratch, 'cli-plugins');
    mkdirSync(pluginDir, { recursive: true });
    writeFileSync(join(pluginDir, 'docker-compose'), '#!/bin/sh\necho the real one\n', { mode: 0o755 });
    const pluginFlags = ['--compose-plugin', '--plugin-dir', pluginDir];
    const install = (...flags: string[]) =>
      run(
        'bash',
        [
          join(root, 'deploy/install.sh'),
          '--prefix',
          prefix,
          '--unit-dir',
          unitDir,
          '--config-dir',
          configDir,
          '--no-build',
          ...pluginFlags,
          ...flags,
        ],
        {
          maxBuffer: 16 * 1024 * 1024,
        },
      );
    await install();
    // No flags: the env file is the commented template, which sets nothing.
    const envFile = join(configDir, 'orc.env');
    expect(readFileSync(envFile, 'utf8')).toBe(readFileSync(join(root, 'deploy/orc.env'), 'utf8'));
    // The upgrade asks for the page: its loopback listener and a token made for it, kept by the next run.
    await install('--ui');
    const token = readFileSync(join(configDir, 'token'), 'utf8');
    await install('--ui');
    expect(readFileSync(join(configDir, 'token'), 'utf8')).toBe(token);
    expect(token).toMatch(/^[0-9a-f]{64}\n$/);
    expect(readFileSync(envFile, 'utf8').match(/^[A-Z_]+=.*$/gm)).toEqual([
      'ORC_UI=1',
      'ORC_UI_LISTEN=tcp://127.0.0.1:7324',
      `ORC_TOKEN_FILE=${join(configDir, 'token')}`,
    ]);
    const bin = join(prefix, 'bin/orc');
    expect(lstatSync(bin).isSymbolicLink()).toBe(true);
    const { stdout: version } = await run(bin, ['--version']);
    expect(version.trim()).toMatch(/\d+\.\d+\.\d+/);
    const { stdout: help } = await run(bin, ['daemon', '--help']);
    expect(help).toContain('Usage: orc daemon');
    const unit = readFileSync(join(unitDir, 'orc.service'), 'utf8');
    expect(unit).toContain(`ExecStart=${bin} daemon`);
    const plugin = readFileSync(join(pluginDir, 'docker-compose'), 'utf8');
    expect(plugin).toContain(join(prefix, 'lib/orc'));
    expect(readFileSync(join(pluginDir, 'docker-compose.before-orc'), 'utf8')).toContain('the real one');
    const { stdout: composeVersion } = await run(join(pluginDir, 'docker-compose'), ['version', '--short']);
    expect(composeVersion.trim()).toMatch(/^2\.\d+\.\d+$/);

    await run('bash', [
      join(root, 'deploy/install.sh'),
      '--prefix',
      prefix,
      '--unit-dir',
      unitDir,
      '--config-dir',
      configDir,
      '--uninstall',
      '--plugin-dir',
      pluginDir,
    ]);
    expect(readFileSync(join(pluginDir, 'docker-compose'), 'utf8')).toContain('the real one');
    expect(existsSync(join(pluginDir, 'docker-compose.before-orc'))).toBe(false);
    expect(existsSync(bin)).toBe(false);
    expect(existsSync(join(prefix, 'lib/orc'))).toBe(false);
    expect(existsSync(join(unitDir, 'orc.service'))).toBe(false);
    // The settings stay for a reinstall (only --purge removes them).
    expect(existsSync(join(configDir, 'orc.env'))).toBe(true);
  }, 300_000);
});
