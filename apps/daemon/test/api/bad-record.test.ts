import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';
import { cleanupDaemon, type DaemonProcess, startDaemon } from './support/daemon.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Issue 16 item 1: garbage in a project record used to kill the daemon right after "ready" (an unhandled
// OrcError from the registry), and under systemd it would crash-loop. One bad file must never do that.
describe('a project record that cannot be trusted', () => {
  const project = uniqueProject('badrec');
  const lost = uniqueProject('lostrec');
  const state = mkdtempSync(join(tmpdir(), 'orc-badrec-'));
  const work = mkdtempSync(join(tmpdir(), 'orc-badrec-work-'));
  let d: DaemonProcess | undefined;
  afterAll(async () => {
    await d?.stop();
    cleanupDaemon(d);
    await removeProject(project);
    await removeProject(lost);
    rmSync(state, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('is set aside with a log line and the command to keep the project again; the daemon keeps serving', async () => {
    // A project the daemon keeps, so that its containers carry the labels the re-adopt command is read from.
    writeFileSync(
      join(work, 'compose.yaml'),
      `services:\n  web:\n    image: ${FIXTURE_IMAGE}\n    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]\n`,
    );
    d = await startDaemon({ env: { ORC_STATE_DIR: state } });
    const up = await d.request('POST', '/v1/projects?wait=true', {
      source: { workingDir: work, projectName: project, files: ['compose.yaml'], env: {} },
    });
    expect(up.status, up.text).toBe(200);
    // This one depends on the client's environment, which no label keeps: it cannot be rebuilt.
    mkdirSync(join(work, 'lost'), { recursive: true });
    writeFileSync(
      join(work, 'lost', 'compose.yaml'),
      `services:\n  web:\n    image: ${FIXTURE_IMAGE}\n    command: ["sh", "-c", "echo \${MSG}; trap 'exit 0' TERM; sleep 86400 & wait"]\n`,
    );
    const up2 = await d.request('POST', '/v1/projects?wait=true', {
      source: {
        workingDir: join(work, 'lost'),
        projectName: lost,
        files: ['compose.yaml'],
        env: { MSG: 'hi' },
      },
    });
    expect(up2.status, up2.text).toBe(200);
    expect(await d.stop()).toBe(0);
    cleanupDaemon(d);

    const projects = join(state, 'projects');
    writeFileSync(join(projects, `${project}.json`), '{"name": "half a reco');
    mkdirSync(projects, { recursive: true });
    writeFileSync(join(projects, 'newer.json'), JSON.stringify({ version: 99, name: 'newer' }));
    // A record deleted by hand: the lease on the engine still names this daemon.
    rmSync(join(projects, `${lost}.json`));

    d = await startDaemon({ env: { ORC_STATE_DIR: state } });
    await sleep(1500); // the startup pass reads every record
    expect(d.proc.exitCode).toBeNull();
    const health = await d.request('GET', '/v1/health');
    expect(health.status).toBe(200);
    const list = await d.request('GET', '/v1/projects');
    expect(list.status).toBe(200);
    // Its files give exactly what runs: re-adopted from the labels. The other one is found, not kept.
    const byName = (n: string) => list.json.projects.find((p: { name: string }) => p.name === n);
    expect(byName(project)).toMatchObject({ registered: true });
    expect(byName(lost)).toMatchObject({ registered: false });

    const files = readdirSync(projects);
    const aside = files.find((f) => f.startsWith(`${project}.json.bad-`));
    expect(aside, files.join(' ')).toBeDefined();
    expect(readFileSync(join(projects, aside ?? ''), 'utf8')).toBe('{"name": "half a reco');
    expect(JSON.parse(readFileSync(join(projects, `${project}.json`), 'utf8'))).toMatchObject({
      version: 1,
      name: project,
      leased: true,
    });
    expect(files.some((f) => f.startsWith('newer.json.bad-'))).toBe(true);

    const log = d.log();
    expect(log).toContain('project record set aside');
    expect(log).toMatch(/written by a newer orc \(record version 99/);
    expect(log).toContain(`orc -p ${project} -f ${join(work, 'compose.yaml')} up -d`);
    expect(log).toContain('project re-adopted');
    expect(log).toContain('project record missing');
    expect(log).toMatch(/another definition of web than the one running/);
    expect(log).toContain(`orc -p ${lost} -f ${join(work, 'lost', 'compose.yaml')} up -d`);
    expect(log).not.toMatch(/unhandled|uncaught/i);
  });
});
