import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlineSource } from './support/core.js';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from './support/engine.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const SERVICES = 24;
const project = uniqueProject('crash');

const yaml = (mode: string) => {
  const lines = ['services:'];
  for (let i = 0; i < SERVICES; i++) {
    lines.push(
      `  s${i}:`,
      `    image: ${FIXTURE_IMAGE}`,
      '    command: sleep 1d',
      '    stop_grace_period: 1s',
      `    environment: { MODE: ${mode} }`,
    );
    // A chain every few services, so the plan has order to get wrong.
    if (i % 4 !== 0) lines.push(`    depends_on: [s${i - 1}]`);
  }
  return `${lines.join('\n')}\n`;
};

interface Child {
  proc: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
}

function startChild(script: string, stateDir: string, sourceFile: string): Child {
  const proc = spawn(process.execPath, [script, stateDir, sourceFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let buf = '';
  proc.stdout?.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    lines.push(...parts);
  });
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    proc.on('exit', (code) => {
      if (code) lines.push(JSON.stringify({ stderr: err }));
      resolve(code);
    }),
  );
  return { proc, lines, exited };
}

async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function containers(): Promise<
  Array<{ name: string; service: string; number: string; state: string }>
> {
  const out = await docker(
    'ps',
    '-a',
    '--filter',
    `label=com.docker.compose.project=${project}`,
    '--format',
    '{{.Names}} {{.Label "com.docker.compose.service"}} {{.Label "com.docker.compose.container-number"}} {{.State}}',
  );
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [name = '', service = '', number = '', state = ''] = l.split(' ');
      return { name, service, number, state };
    });
}

describe('crash safety: kill -9 the core mid-operation, start again, apply again', () => {
  let work: string;
  let script: string;
  let stateDir: string;
  beforeAll(async () => {
    await mkdir(join(root, '.orc-dev'), { recursive: true });
    work = await mkdtemp(join(root, '.orc-dev', 'crash-'));
    stateDir = join(work, 'state');
    script = join(work, 'core-child.mjs');
    // The child runs our sources: bundled, with npm packages left to node_modules.
    await build({
      entryPoints: [join(root, 'apps/daemon/test/fixtures/core-child.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: script,
      packages: 'external',
      alias: { '@orc/spec': join(root, 'packages/spec/src/index.ts') },
      logLevel: 'error',
    });
  });
  afterAll(async () => {
    await removeProject(project);
    await rm(work, { recursive: true, force: true });
  });

  const run = async (mode: string, killAfter?: (c: Child) => boolean) => {
    const sourceFile = join(work, `source-${mode}.json`);
    await writeFile(sourceFile, JSON.stringify(inlineSource(project, yaml(mode), '/tmp/crash-project')));
    const child = startChild(script, stateDir, sourceFile);
    if (killAfter) {
      await until(() => killAfter(child), 'the moment to kill');
      child.proc.kill('SIGKILL');
      await child.exited;
      return undefined;
    }
    const code = await child.exited;
    expect(child.lines.filter((l) => l.includes('stderr'))).toEqual([]);
    expect(code).toBe(0);
    const done = child.lines
      .map((l) => JSON.parse(l) as { done?: { state: string; error?: unknown } })
      .find((l) => l.done);
    return done?.done;
  };

  const expectOneRunningPerReplica = async () => {
    const list = await containers();
    expect(list.filter((c) => c.state !== 'running')).toEqual([]);
    expect(list.map((c) => c.name).sort()).toEqual(
      Array.from({ length: SERVICES }, (_, i) => `${project}-s${i}-1`).sort(),
    );
    expect(new Set(list.map((c) => `${c.service}#${c.number}`)).size).toBe(SERVICES);
  };

  it('recovers from a kill during a cold up', async () => {
    const progressed = (c: Child) => c.lines.filter((l) => l.includes(' start done')).length >= 6;
    await run('one', progressed);
    const partial = await containers();
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(SERVICES * 2);

    const record = await run('one');
    expect(record?.state).toBe('succeeded');
    await expectOneRunningPerReplica();
  });

  it('recovers from a kill in the middle of recreating every service', async () => {
    const before = new Map((await containers()).map((c) => [c.name, c]));
    expect(before.size).toBe(SERVICES);
    // Kill once some replacements exist under their temporary names (create → stop old → remove → rename).
    const midway = (c: Child) => c.lines.filter((l) => l.includes(' rename done')).length >= 3;
    await run('two', midway);
    const record = await run('two');
    expect(record?.state).toBe('succeeded');
    await expectOneRunningPerReplica();
    for (const c of await containers()) {
      expect(
        await docker('inspect', '--format', '{{range .Config.Env}}{{println .}}{{end}}', c.name),
      ).toContain('MODE=two');
    }
  });
});
