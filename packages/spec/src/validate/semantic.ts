import type { Project, Service } from '../model/project.js';
import type { PathProblem } from '../normalize/context.js';
import { portSourceIndex } from '../normalize/ports.js';
import { closest } from './suggest.js';

/** Cross-references a normalised project: every problem, located by key path. */
export function checkProject(project: Project): PathProblem[] {
  const out: PathProblem[] = [];
  const services = project.services;
  const names = Object.keys(services);

  const unknownService = (
    path: PathProblem['path'],
    name: string,
    what: string,
    at: 'key' | 'value' = 'value',
  ): PathProblem => {
    const disabled = project.disabled_services[name];
    if (disabled) {
      const profiles = disabled.profiles ?? [];
      return {
        code: 'UNKNOWN_SERVICE',
        path,
        at,
        message: `${what} service "${name}", which is disabled by profiles`,
        hint: `enable one of its profiles (${profiles.join(', ')}) with --profile or COMPOSE_PROFILES`,
      };
    }
    const guess = closest(name, names);
    return {
      code: 'UNKNOWN_SERVICE',
      path,
      at,
      message: `${what} undefined service "${name}"`,
      ...(guess ? { hint: `did you mean "${guess}"?` } : {}),
    };
  };

  for (const [name, svc] of Object.entries(services)) {
    const base = ['services', name];
    // A provider service is set up by its provider, not run from an image (compose exempts it too).
    if (!svc.image && !svc.build && !svc.provider) {
      out.push({
        code: 'SCHEMA',
        path: base,
        at: 'key',
        message: `service "${name}" has neither an image nor a build context`,
        hint: 'add `image:` or `build:`',
      });
    }
    // compose-go: "service.build.platforms MUST include service.platform".
    const platforms = svc.build?.platforms;
    if (svc.platform && platforms?.length && !platforms.includes(svc.platform)) {
      out.push({
        code: 'SCHEMA',
        path: [...base, 'platform'],
        at: 'value',
        message: `service "${name}": build.platforms (${platforms.join(', ')}) must include platform ${svc.platform}`,
        hint: `add ${svc.platform} to build.platforms, or change platform to one of them`,
      });
    }
    for (const [dep, d] of Object.entries(svc.depends_on)) {
      if (services[dep]) continue;
      const problem = unknownService([...base, 'depends_on', dep], dep, 'depends on', 'key');
      // compose only warns about an optional dependency that is missing.
      out.push(d.required ? problem : { ...problem, severity: 'warning' });
    }
    (svc.links ?? []).forEach((link, i) => {
      const target = link.split(':')[0]!;
      if (!services[target]) out.push(unknownService([...base, 'links', i], target, 'links to'));
    });
    (svc.volumes_from ?? []).forEach((from, i) => {
      if (from.startsWith('container:')) return;
      const target = from.split(':')[0]!;
      if (!services[target])
        out.push(unknownService([...base, 'volumes_from', i], target, 'takes volumes from'));
    });
    const nm = svc.network_mode;
    if (nm?.startsWith('service:')) {
      const target = nm.slice('service:'.length);
      if (!services[target])
        out.push(unknownService([...base, 'network_mode'], target, 'shares the network of'));
    }
    if (nm && Object.keys(svc.networks).length > 0) {
      out.push({
        code: 'SCHEMA',
        path: [...base, 'network_mode'],
        at: 'key',
        message: 'network_mode and networks cannot be used together',
        hint: 'remove one of them',
      });
    }
    for (const net of Object.keys(svc.networks)) {
      if (!project.networks[net]) {
        const guess = closest(net, Object.keys(project.networks));
        out.push({
          code: 'UNKNOWN_NETWORK',
          path: [...base, 'networks', net],
          at: 'key',
          message: `service "${name}" uses undefined network "${net}"`,
          hint: guess ? `did you mean "${guess}"?` : `declare it under the top-level \`networks:\``,
        });
      }
    }
    svc.volumes.forEach((v, i) => {
      if (v.type !== 'volume' || !v.source || project.volumes[v.source]) return;
      const guess = closest(v.source, Object.keys(project.volumes));
      out.push({
        code: 'UNKNOWN_VOLUME',
        path: [...base, 'volumes', i],
        message: `service "${name}" uses undefined volume "${v.source}"`,
        hint: guess
          ? `did you mean "${guess}"?`
          : 'declare it under the top-level `volumes:`, or start a host path with "./" or "/"',
      });
    });
    checkRefs(out, base, 'secrets', svc.secrets, project.secrets, 'UNKNOWN_SECRET');
    checkRefs(out, base, 'configs', svc.configs, project.configs, 'UNKNOWN_CONFIG');
    if (svc.build?.secrets) {
      checkRefs(out, [...base, 'build'], 'secrets', svc.build.secrets, project.secrets, 'UNKNOWN_SECRET');
    }
    if (svc.container_name && (svc.scale ?? 1) > 1) {
      out.push({
        code: 'SCALE_CONFLICT',
        path: [...base, 'container_name'],
        message: `service "${name}" sets container_name and scale ${svc.scale}; container names must be unique`,
        hint: 'remove container_name, or scale to 1',
      });
    }
  }
  checkContainerNames(project, out);
  checkPorts(project, out);
  checkCycles(project, out);
  return out;
}

function checkRefs(
  out: PathProblem[],
  base: Array<string | number>,
  kind: 'secrets' | 'configs',
  refs: Service['secrets'],
  declared: Record<string, unknown>,
  code: 'UNKNOWN_SECRET' | 'UNKNOWN_CONFIG',
): void {
  (refs ?? []).forEach((ref, i) => {
    if (declared[ref.source]) return;
    const guess = closest(ref.source, Object.keys(declared));
    out.push({
      code,
      path: [...base, kind, i],
      message: `undefined ${kind.slice(0, -1)} "${ref.source}"`,
      hint: guess ? `did you mean "${guess}"?` : `declare it under the top-level \`${kind}:\``,
    });
  });
}

/**
 * One problem per pair of services that share a container_name, in file order: compose refuses only a
 * command that would run both, so each pair applies when both are selected (see `problemsFor`).
 */
function checkContainerNames(project: Project, out: PathProblem[]): void {
  const users = new Map<string, string[]>();
  for (const [name, svc] of Object.entries(project.services)) {
    if (!svc.container_name) continue;
    const earlier = users.get(svc.container_name) ?? [];
    for (const first of earlier) {
      out.push({
        code: 'DUPLICATE_CONTAINER_NAME',
        services: [first, name],
        path: ['services', name, 'container_name'],
        message: `container_name "${svc.container_name}" is also used by service "${first}"`,
        hint: 'container names must be unique on the engine',
      });
    }
    users.set(svc.container_name, [...earlier, name]);
  }
}

function range(published: string): [number, number] {
  const [a, b] = published.split('-');
  return [Number(a), Number(b ?? a)];
}

const ANY_IP = new Set(['', '0.0.0.0', '::']);

function checkPorts(project: Project, out: PathProblem[]): void {
  const taken: Array<{ service: string; ip: string; protocol: string; from: number; to: number }> = [];
  for (const [name, svc] of Object.entries(project.services)) {
    const reported = new Set<number>();
    svc.ports.forEach((p, n) => {
      if (p.published === undefined || p.published === '0') return;
      const i = portSourceIndex.get(p) ?? n;
      if (reported.has(i)) return;
      const [from, to] = range(p.published);
      const ip = p.host_ip ?? '';
      const clash = taken.find(
        (t) =>
          t.protocol === p.protocol &&
          (t.ip === ip || ANY_IP.has(t.ip) || ANY_IP.has(ip)) &&
          from <= t.to &&
          t.from <= to &&
          // A range on the host lets the engine pick a free port: only fixed ports collide for sure.
          (from === to || t.from === t.to),
      );
      if (clash) {
        reported.add(i);
        out.push({
          code: 'PORT_CONFLICT',
          path: ['services', name, 'ports', i],
          message: `host port ${p.published}/${p.protocol} is already published by service "${clash.service}"`,
          hint: 'publish a different host port, or leave it out to get an ephemeral one',
        });
      } else if ((svc.scale ?? 1) > 1 && from === to) {
        reported.add(i);
        out.push({
          code: 'PORT_CONFLICT',
          path: ['services', name, 'ports', i],
          message: `service "${name}" has scale ${svc.scale} but publishes the fixed host port ${p.published}`,
          hint: 'publish a range (e.g. "8000-8005:80") or no host port',
        });
      }
      taken.push({ service: name, ip, protocol: p.protocol, from, to });
    });
  }
}

function checkCycles(project: Project, out: PathProblem[]): void {
  const edges = (svc: Service): string[] => {
    const deps = new Set(Object.keys(svc.depends_on));
    for (const l of svc.links ?? []) deps.add(l.split(':')[0]!);
    for (const v of svc.volumes_from ?? []) if (!v.startsWith('container:')) deps.add(v.split(':')[0]!);
    if (svc.network_mode?.startsWith('service:')) deps.add(svc.network_mode.slice(8));
    return [...deps].filter((d) => project.services[d]);
  };
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (name: string): void => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const dep of edges(project.services[name]!)) {
      const s = state.get(dep);
      if (s === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(dep)), dep];
        const key = [...cycle.slice(0, -1)].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          out.push({
            code: 'DEPENDENCY_CYCLE',
            path: ['services', name, 'depends_on', dep],
            at: 'key',
            message: `dependency cycle: ${cycle.join(' -> ')}`,
            hint: 'remove one of these dependencies',
          });
        }
      } else if (!s) visit(dep);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of Object.keys(project.services).sort()) if (!state.get(name)) visit(name);
}
