/**
 * The lab itself (scripts/swarm-lab.sh): three nodes in one swarm, n1 the only manager, the registry's image
 * runs on every node, and a host-mode published port answers on each node's address from the host.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { labDocker } from '../support/swarm-lab.js';
import { labEnv } from '../support/swarm-lab-env.js';

const lab = labEnv();
const name = `swarm-run-labcheck-${process.pid}`;

describe('swarm lab', () => {
  afterAll(async () => {
    await labDocker(lab.managerHost, 'service', 'rm', name).catch(() => undefined);
  });

  it('is a 3-node swarm with one manager', async () => {
    const nodes = (
      await labDocker(lab.managerHost, 'node', 'ls', '--format', '{{.Status}}/{{.ManagerStatus}}')
    )
      .split('\n')
      .sort();
    expect(nodes).toEqual(['Ready/', 'Ready/', 'Ready/Leader']);
    for (const host of lab.nodeHosts.slice(1)) {
      expect(await labDocker(host, 'info', '--format', '{{.Swarm.ControlAvailable}}')).toBe('false');
    }
  });

  it('runs the registry image on every node and publishes host-mode ports', async () => {
    await labDocker(
      lab.managerHost,
      ...[
        'service',
        'create',
        '-d',
        '-q',
        '--name',
        name,
        '--mode',
        'global',
        '--endpoint-mode',
        'dnsrr',
        '--hostname',
        '{{.Node.Hostname}}',
      ],
      ...['--publish', 'mode=host,target=8080,published=18080', lab.image],
      ...['sh', '-c', 'mkdir -p /w && hostname >/w/index.html && exec httpd -f -p 8080 -h /w'],
    );
    const answers: string[] = [];
    for (let k = 1; k <= lab.nodeHosts.length; k++) {
      answers.push(await fetchText(`http://${lab.net}.${10 + k}:18080/`, 60_000));
    }
    expect(answers).toEqual(lab.nodeNames.map((n) => `${n}\n`));
  });
});

async function fetchText(url: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return await res.text();
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms: ${String(last)}`);
}
