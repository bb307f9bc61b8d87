import type { ContainerSummary, PsTable, Publisher } from '../client/types.js';

/** What a `ps` table reads of a container (the daemon's table view, or a whole ContainerSummary). */
export type PsRow = PsTable['containers'][number];

import { ago, table } from './table.js';

export interface PsFilter {
  all: boolean;
  status: string[];
  services: string[];
  /** `ps --orphans=false`: only these services (those the project declares). */
  declared?: string[];
}

/** compose ps: running containers unless `-a`; `--status` and service names narrow further. */
export function filterContainers<T extends PsRow>(containers: T[], f: PsFilter): T[] {
  // One pass, one array (issue 17, item 6: `ps` of 200 containers).
  return (
    containers
      .filter(
        (c) =>
          (f.all ||
            f.status.length > 0 ||
            c.State === 'running' ||
            c.State === 'restarting' ||
            c.State === 'paused') &&
          (f.status.length === 0 || f.status.includes(c.State)) &&
          (f.services.length === 0 || f.services.includes(c.Service)) &&
          (f.declared === undefined || f.declared.includes(c.Service)),
      )
      // Code-unit order, as compose sorts (Go's `<` on names); `localeCompare` would also set up ICU's
      // collator on every `ps`, ~10 ms of a 100 ms command (issue 17, item 6).
      .sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0))
  );
}

/** `0.0.0.0:8080->80/tcp`, or `80/tcp` when not published. */
export function formatPorts(publishers: Publisher[]): string {
  // docker's order: IPv4 bindings before IPv6 ones.
  const v6 = (p: Publisher) => (p.URL.includes(':') ? 1 : 0);
  return [...publishers]
    .sort((a, b) => v6(a) - v6(b))
    .map((p) =>
      p.PublishedPort
        ? `${p.URL || '0.0.0.0'}:${p.PublishedPort}->${p.TargetPort}/${p.Protocol}`
        : `${p.TargetPort}/${p.Protocol}`,
    )
    .join(', ');
}

/** `trunc` false: `ps --no-trunc`, the whole command. */
export function psTable(containers: PsRow[], now: number, trunc = true): string {
  return table(
    ['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS'],
    containers.map((c) => [
      c.Name,
      c.Image,
      JSON.stringify(trunc && c.Command.length > 20 ? `${c.Command.slice(0, 19)}…` : c.Command),
      c.Service,
      ago(c.Created, now),
      c.Status,
      formatPorts(c.Publishers ?? []),
    ]),
  );
}

/** A swarm project's `ps`: one row per task, with its node, desired and current state and error (issue 15). */
export function swarmPsTable(containers: PsRow[]): string {
  const field = (c: PsRow, k: string) => String((c as Record<string, unknown>)[k] ?? '');
  return table(
    ['NAME', 'IMAGE', 'NODE', 'DESIRED STATE', 'CURRENT STATE', 'ERROR', 'PORTS'],
    containers.map((c) => [
      c.Name,
      c.Image,
      field(c, 'Node'),
      field(c, 'DesiredState'),
      field(c, 'CurrentState') || c.State,
      field(c, 'Error'),
      formatPorts(c.Publishers ?? []).replaceAll('0.0.0.0:', '*:'),
    ]),
  );
}

/** compose v2's `ps --format json`: one JSON array, its field names. */
/**
 * `ps --format json`: an array (orc's own); `lines`: one object per line, as compose since 2.21 prints it
 * (what scripts written for `docker compose ps --format json` parse).
 */
export function psJson(containers: ContainerSummary[], lines = false): string {
  const rows = containers.map((c) => ({
    ID: c.ID,
    Name: c.Name,
    Image: c.Image,
    Command: c.Command,
    Project: c.Project,
    Service: c.Service,
    Created: c.Created,
    State: c.State,
    Status: c.Status,
    Health: c.Health,
    ExitCode: c.ExitCode,
    Publishers: c.Publishers ?? [],
    Networks: c.Networks ?? [],
    RestartCount: c.RestartCount,
    // Swarm tasks (issue 15): where they run and what Swarm wants of them.
    ...(c.Node !== undefined ? { Node: c.Node, DesiredState: c.DesiredState, Error: c.Error } : {}),
  }));
  return lines ? rows.map((r) => JSON.stringify(r)).join('\n') : JSON.stringify(rows);
}
