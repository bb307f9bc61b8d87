/// <reference lib="dom" />
/**
 * The status page (`orc daemon --ui`, docs/ui.md) in a real Chromium (Debian's, driven by playwright-core),
 * against a real daemon and engine: log in with the token, see a project, watch a container removed by hand
 * go red and come back without a reload, restart a service, follow its logs, and the refusals (a foreign
 * origin, no token). With ORC_UPDATE_SCREENSHOT=1 it writes docs/ui.png, the project view shown in the README.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';
import { assertBuilt, explain, freePort, ORC_BIN, orc, orcEnv, ROOT, waitForOutput } from './orc.js';

const CHROMIUM = '/usr/bin/chromium';
/** Without the background-networking flags Chromium floods a closed network with failing connections. */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const TOKEN = `ui-e2e-${Date.now().toString(36)}-token`;

/** Debian's Chromium, installed with apt when missing (after an `apt-get update` if the lists are empty). */
function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  const install = () => execFileSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'inherit' });
  try {
    install();
  } catch {
    execFileSync('apt-get', ['update'], { stdio: 'inherit' });
    install();
  }
}

describe('status page in Chromium', () => {
  const o = orcEnv('ui');
  const project = uniqueProject('ui');
  const dir = join(o.dir, 'app');
  let daemon: ChildProcess | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let base = '';
  const profiles: string[] = [];
  /** The daemon's stdout and its JSON log (stderr): the token must never appear in them. */
  let daemonLog = '';

  beforeAll(async () => {
    assertBuilt();
    ensureChromium();
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  db:',
        `    image: ${FIXTURE_IMAGE}`,
        '    command: ["sh", "-c", "echo db ready; exec sleep 3600"]',
        '    stop_grace_period: 1s',
        '  web:',
        `    image: ${FIXTURE_IMAGE}`,
        '    command:',
        '      - sh',
        '      - -c',
        '      - mkdir -p /tmp/www && echo hello > /tmp/www/index.html && httpd -p 8080 -h /tmp/www &&',
        '        i=0; while true; do i=$$((i+1)); echo tick $$i; sleep 1; done',
        '    stop_grace_period: 1s',
        '    depends_on: [db]',
        '    ports: ["127.0.0.1::8080"]',
        '    healthcheck:',
        '      test: ["CMD-SHELL", "wget -qO- http://127.0.0.1:8080/ >/dev/null && echo probe ok"]',
        '      interval: 2s',
        '      timeout: 2s',
        '      retries: 3',
        '',
      ].join('\n'),
    );
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env = { ...o.env, ORC_TOKEN: TOKEN, ORC_NO_AUTOSTART: '1' };
    o.env = env;
    daemon = spawn(ORC_BIN, ['daemon', '--ui', '--ui-listen', `tcp://127.0.0.1:${port}`], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    daemon.stderr?.on('data', (c: Buffer) => {
      daemonLog += c.toString();
    });
    daemonLog += await waitForOutput(daemon, (out) => out.includes('status page on'));
    const up = await orc(o, ['-p', project, 'up', '-d', '--wait'], { cwd: dir });
    expect(up.code, explain(up)).toBe(0);

    // A fresh --user-data-dir: playwright passes it to Chromium itself (it refuses it among `args`).
    const profile = mkdtempSync(join(tmpdir(), 'orc-ui-chromium-'));
    profiles.push(profile);
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1280, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    // The daemon repairs drift: stop it before removing what it keeps, or it recreates it.
    if (daemon?.pid) {
      daemon.kill('SIGTERM');
      await new Promise((r) => daemon?.once('close', r));
    }
    await removeProject(project);
    for (const d of [o.dir, ...profiles]) rmSync(d, { recursive: true, force: true });
  });

  it('--ui without the built page refuses to start, saying how to build it', async () => {
    const port = await freePort();
    const child = spawn(ORC_BIN, ['daemon', '--ui', '--ui-listen', `tcp://127.0.0.1:${port}`], {
      env: {
        ...o.env,
        ORC_HOST: `unix://${join(o.dir, 'nope.sock')}`,
        ORC_UI_DIR: join(o.dir, 'no-such-dir'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const code = await new Promise((r) => child.once('close', r));
    expect(code).toBe(2);
    expect(stderr).toMatch(/status page is not built: .*index\.html is missing; build it/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('no token, no page: the login form only, and the API refuses', async () => {
    await page.goto(`${base}/`);
    await expect.poll(() => page.getByLabel('Token').isVisible()).toBe(true);
    expect((await page.locator('body').textContent()) ?? '').not.toContain(project);
    const anonymous = await fetch(`${base}/v1/projects`);
    expect(anonymous.status).toBe(401);
    const wrong = await fetch(`${base}/v1/ui/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: 'wrong' }),
    });
    expect(wrong.status).toBe(401);
  });

  it('logs in with the token (keyboard only) and lists the project', async () => {
    await page.getByLabel('Token').fill(TOKEN);
    await page.keyboard.press('Enter');
    const row = page.locator(`tr[data-project="${project}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect((await row.textContent()) ?? '').toContain('running 2/2');
    const cookie = (await context?.cookies())?.find((c) => c.name === 'orc_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
    expect(page.url()).not.toContain(TOKEN);
    await row.getByRole('link', { name: project }).click();
    await page.getByRole('heading', { name: project }).waitFor();
    for (const svc of ['db', 'web']) {
      await page.locator(`tr[data-service="${svc}"][data-state="running"]`).waitFor({ timeout: 20_000 });
    }
    await expect.poll(() => page.locator('svg.graph g.node.ok').count()).toBe(2);
  });

  it('a container removed by hand goes red, then runs again (the daemon repairs it) without a reload', async () => {
    const web = `${project}-web-1`;
    const before = await page.locator(`tr[data-container="${web}"]`).getAttribute('data-started');
    // Every state the web row shows from now on, recorded in the page itself.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      const note = () => {
        const row = document.querySelector('tr[data-service="web"]');
        const tone = row?.getAttribute('data-tone');
        if (tone && seen.at(-1) !== tone) seen.push(tone);
      };
      new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true });
      note();
    });
    const navigations: string[] = [];
    page.on('framenavigated', (f) => navigations.push(f.url()));
    await docker('rm', '-f', web);
    await page.waitForFunction(() => (window as unknown as { seen: string[] }).seen.includes('bad'), null, {
      timeout: 20_000,
    });
    await page.waitForFunction(
      ([name, old]) => {
        const row = document.querySelector(`tr[data-container="${name}"]`);
        return row?.getAttribute('data-state') === 'running' && row.getAttribute('data-started') !== old;
      },
      [web, before] as const,
      { timeout: 45_000 },
    );
    expect(navigations).toEqual([]);
    const timeline = (await page.locator('.timeline').textContent()) ?? '';
    expect(timeline).toContain('destroy');
  });

  it('Restart restarts the service: its StartedAt changes, the progress is shown', async () => {
    const web = `${project}-web-1`;
    const row = page.locator(`tr[data-container="${web}"][data-state="running"]`);
    const before = await row.getAttribute('data-started');
    expect(before).toBeTruthy();
    await page.locator('tr[data-service="web"]').getByRole('button', { name: 'Restart' }).click();
    await page.locator('.op-state[data-state="succeeded"]').waitFor({ timeout: 30_000 });
    await page.waitForFunction(
      ([name, old]) => {
        const r = document.querySelector(`tr[data-container="${name}"]`);
        return r?.getAttribute('data-state') === 'running' && r.getAttribute('data-started') !== old;
      },
      [web, before] as const,
      { timeout: 20_000 },
    );
    const inspected = await docker('inspect', '-f', '{{.State.StartedAt}}', web);
    expect(Date.parse(inspected)).toBeGreaterThan(Date.parse(before ?? ''));
  });

  it('follows the logs of a service and sees a new line come', async () => {
    await page.getByRole('combobox', { name: 'Service', exact: true }).selectOption({ label: 'web' });
    const logs = page.getByRole('log', { name: 'Log lines' });
    await expect
      .poll(async () => ticks((await logs.textContent()) ?? '').length, { timeout: 15_000 })
      .toBeGreaterThan(0);
    const last = Math.max(...ticks((await logs.textContent()) ?? ''));
    await expect
      .poll(async () => Math.max(...ticks((await logs.textContent()) ?? '')), { timeout: 15_000 })
      .toBeGreaterThan(last);
    await page.getByRole('searchbox', { name: 'Filter', exact: true }).fill(`tick ${last}`);
    expect(((await logs.textContent()) ?? '').trim().split('\n').length).toBeLessThanOrEqual(2);
    await page.getByRole('searchbox', { name: 'Filter', exact: true }).fill('');
  });

  it('shows the plan (dry run) and saves the screenshot of the project view (docs/ui.png)', async () => {
    await page.getByRole('button', { name: 'Show plan' }).click();
    await page.locator('.plan pre, .plan p:not(.muted)').first().waitFor({ timeout: 20_000 });
    await page.locator(`tr[data-service="web"][data-state="running"]`).waitFor({ timeout: 20_000 });
    // Always taken (it must work); written over docs/ui.png only when asked, so a test run leaves the tree clean.
    const shot = await page.screenshot({ fullPage: true });
    expect(shot.length).toBeGreaterThan(10_000);
    if (process.env.ORC_UPDATE_SCREENSHOT === '1') writeFileSync(join(ROOT, 'docs', 'ui.png'), shot);
  });

  it('Up asks first, naming the project, and shows the operation (keyboard: Enter, Escape)', async () => {
    await page.getByRole('button', { name: 'Down', exact: true }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect((await dialog.textContent()) ?? '').toContain(`"${project}"`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await docker('inspect', '-f', '{{.State.Running}}', `${project}-web-1`)).toBe('true');

    await page.getByRole('button', { name: 'Up', exact: true }).click();
    await page.getByRole('button', { name: `Apply ${project}` }).click();
    await page
      .locator('.op-state[data-state="succeeded"]', { hasText: 'up: succeeded' })
      .waitFor({ timeout: 30_000 });
  });

  it('refuses the session cookie from a foreign origin, and every request after logout', async () => {
    const request = page.context().request;
    const foreign = await request.post(`${base}/v1/projects/${project}/stop`, {
      headers: { Origin: 'http://evil.example', 'content-type': 'application/json' },
      data: {},
    });
    expect(foreign.status()).toBe(403);
    const crossSite = await request.get(`${base}/v1/projects`, {
      headers: { 'Sec-Fetch-Site': 'cross-site' },
    });
    expect(crossSite.status()).toBe(403);
    const own = await request.get(`${base}/v1/projects/${project}`);
    expect(own.status()).toBe(200);
    expect(await docker('inspect', '-f', '{{.State.Running}}', `${project}-web-1`)).toBe('true');

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('Token').waitFor();
    const after = await request.get(`${base}/v1/projects`);
    expect(after.status()).toBe(401);
  });

  it('Down, after logging in again, takes the project down with its progress shown', async () => {
    await page.getByLabel('Token').fill(TOKEN);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.goto(`${base}/#/p/${project}`);
    await page.locator('tr[data-service="web"]').waitFor();
    await page.getByRole('button', { name: 'Down', exact: true }).click();
    await page.getByRole('button', { name: `Take ${project} down` }).click();
    await page
      .locator('.op-state[data-state="succeeded"]', { hasText: 'down: succeeded' })
      .waitFor({ timeout: 30_000 });
    await page.getByText('No such project (any more).').waitFor({ timeout: 10_000 });
    expect(await docker('ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`)).toBe('');
  });

  it('never wrote the token or a session id to the daemon log', async () => {
    const cookie = (await context?.cookies())?.find((c) => c.name === 'orc_session');
    expect(daemonLog).toContain('"msg":"incoming request"');
    expect(daemonLog).not.toContain(TOKEN);
    expect(cookie?.value).toBeTruthy();
    expect(daemonLog).not.toContain(cookie?.value);
  });
});

function ticks(text: string): number[] {
  return [...text.matchAll(/tick (\d+)/g)].map((m) => Number(m[1]));
}
