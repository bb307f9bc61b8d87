/**
 * The swarm lab (scripts/swarm-lab.sh) from a bench: its addresses, started when none answers (and then
 * taken down again by the caller), and a small Engine API client over a lab node's unix socket. Every
 * call names a lab socket: the shared engine is never touched, never made a manager.
 */
import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../scripts/swarm-lab.sh', import.meta.url));

export function labScript(...args) {
  const r = spawnSync('bash', [script, ...args], { encoding: 'utf8', env: process.env });
  if (r.status !== 0) throw new Error(`swarm-lab.sh ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return r.stdout;
}

/** `swarm-lab.sh env` as { managerHost, socket, registry, image, net, nodeSockets }. */
export function labEnv() {
  const env = new Map();
  for (const line of labScript('env').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) env.set(line.slice(0, i), line.slice(i + 1));
  }
  const nodes = Number(env.get('ORC_LAB_NODES') ?? 0);
  const sock = (host) => host.replace(/^unix:\/\//, '');
  return {
    managerHost: env.get('DOCKER_HOST'),
    socket: sock(env.get('DOCKER_HOST') ?? ''),
    registry: env.get('ORC_LAB_REGISTRY'),
    image: env.get('ORC_LAB_IMAGE'),
    net: env.get('ORC_LAB_NET'),
    nodeSockets: Array.from({ length: nodes }, (_, k) => sock(env.get(`ORC_LAB_N${k + 1}`) ?? '')),
  };
}

/** GET (or another method) on a lab engine; the parsed JSON body, or throws with the engine's message. */
export function engine(socketPath, path, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: `/v1.41${path}`, method, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => {
        if ((res.statusCode ?? 500) >= 400) reject(new Error(`${method} ${path}: ${res.statusCode} ${body}`));
        else resolve(body ? JSON.parse(body) : undefined);
      });
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timeout`)));
    req.end();
  });
}

export const filters = (f) => `filters=${encodeURIComponent(JSON.stringify(f))}`;

/** Is the lab's manager up and a manager? */
export async function managerAnswers(lab) {
  if (!lab.socket) return false;
  try {
    const info = await engine(lab.socket, '/info');
    return info?.Swarm?.ControlAvailable === true;
  } catch {
    return false;
  }
}
