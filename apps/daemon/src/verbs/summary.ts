import type { DesiredState } from '@orc/spec';
import type { ContainerSummary, ProjectSummary } from '../contract/types.js';
import type { ObservedContainer } from '../observe/types.js';
import type { DesiredRunState } from '../plan/types.js';

/** A container the way `docker compose ps --format json` prints it. */
export function containerSummary(project: string, c: ObservedContainer): ContainerSummary {
  const seen = new Set<string>();
  const publishers: ContainerSummary['Publishers'] = [];
  for (const p of c.ports ?? []) {
    const key = `${p.ip ?? ''}:${p.publicPort ?? 0}:${p.privatePort}/${p.type}`;
    if (seen.has(key)) continue;
    seen.add(key);
    publishers.push({
      URL: p.ip ?? '',
      TargetPort: p.privatePort,
      PublishedPort: p.publicPort ?? 0,
      Protocol: p.type,
    });
  }
  publishers.sort((a, b) => a.TargetPort - b.TargetPort || a.URL.localeCompare(b.URL));
  return {
    ID: c.id,
    Name: c.name,
    Service: c.service,
    Project: project,
    Number: c.number,
    State: c.state,
    Health: c.health ?? '',
    ExitCode: c.exitCode,
    Image: c.image,
    Command: c.command ?? '',
    Created: c.created,
    Status: c.status ?? c.state,
    RestartCount: c.restartCount,
    ...(c.startedAt && !c.startedAt.startsWith('0001-') ? { StartedAt: c.startedAt } : {}),
    Publishers: publishers,
    Networks: Object.keys(c.networks).sort(),
  };
}

/** compose ls's status column: `exited(1), running(2)`. */
export function projectStatus(containers: ObservedContainer[]): string {
  const counts = new Map<string, number>();
  for (const c of containers) counts.set(c.state, (counts.get(c.state) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([state, n]) => `${state}(${n})`)
    .join(', ');
}

export interface SummaryInput {
  name: string;
  containers: ObservedContainer[];
  registered: boolean;
  /** The last desired state converged to, when the daemon has it. */
  desired?: DesiredState;
  runState?: Record<string, DesiredRunState>;
}

export function projectSummary(input: SummaryInput): ProjectSummary {
  const containers = input.containers.filter((c) => !c.oneoff);
  const first = containers[0]?.labels ?? {};
  const workingDir = input.desired?.working_dir ?? first['com.docker.compose.project.working_dir'] ?? '';
  const configFiles =
    input.desired?.config_files ??
    (first['com.docker.compose.project.config_files'] ?? '').split(',').filter(Boolean);
  const services = input.desired
    ? input.desired.services.map((s) => ({
        name: s.name,
        desired: input.runState?.[s.name] ?? 'running',
        replicas: s.replicas,
        dependsOn: Object.keys(s.depends_on ?? {}).sort(),
      }))
    : [...new Set(containers.map((c) => c.service))].sort().map((name) => ({
        name,
        desired: input.runState?.[name] ?? ('running' as const),
        replicas: containers.filter((c) => c.service === name).length,
        dependsOn: dependsOnLabel(containers.find((c) => c.service === name)?.labels ?? {}),
      }));
  return {
    name: input.name,
    workingDir,
    configFiles,
    registered: input.registered,
    status: projectStatus(containers),
    services,
    containers: containers.map((c) => containerSummary(input.name, c)),
  };
}

/** `com.docker.compose.depends_on` (`db:service_healthy:true,cache:service_started:false`) → the names. */
export function dependsOnLabel(labels: Record<string, string>): string[] {
  return (labels['com.docker.compose.depends_on'] ?? '')
    .split(',')
    .map((entry) => entry.split(':')[0] ?? '')
    .filter(Boolean)
    .sort();
}
