/**
 * One keeper per project on an engine. A daemon that keeps a project converged marks it on the engine
 * with a lease (an empty volume `orc-lease.PROJECT`: no image, no address, labels any client can read)
 * naming the daemon: its id, host, pid and state directory. Another daemon that meets the project
 * (`up`, `down`) refuses to act while that keeper is alive, says who it is, and takes over with
 * `--force` or when the keeper is gone; a keeper whose lease was taken or removed stops converging the
 * project and says why, so two daemons never fight over one project.
 *
 * Liveness without a heartbeat: on the same host a keeper is alive while its pid runs with the same
 * start time; a keeper on another host cannot be checked from here and counts as alive.
 */
import { OrcError } from '../contract/errors.js';
import type { Engine } from '../engine/engine.js';
import type { EngineVolume } from '../engine/types.js';
import { type DaemonIdentity, processStart } from '../store/daemon-identity.js';

const L = {
  lease: 'dev.orc.lease',
  owner: 'dev.orc.lease.owner',
  host: 'dev.orc.lease.host',
  pid: 'dev.orc.lease.pid',
  procStart: 'dev.orc.lease.proc-start',
  stateDir: 'dev.orc.lease.state-dir',
} as const;

export interface Lease {
  project: string;
  owner: string;
  host: string;
  pid: number;
  procStart: string;
  stateDir: string;
}

export type Keeper = 'none' | 'self' | 'alive' | 'gone' | 'unknown';

const projectName = /^[a-z0-9][a-z0-9_-]*$/;

export function leaseVolume(project: string): string {
  // Compose project names only: anything else is refused before it reaches the engine.
  if (!projectName.test(project)) {
    throw new OrcError('INVALID_REQUEST', `invalid project name ${JSON.stringify(project)}`);
  }
  return `orc-lease.${project}`;
}

export function leaseOf(v: EngineVolume | undefined): Lease | undefined {
  const l = v?.Labels ?? {};
  if (!v || !l[L.lease] || !l[L.owner]) return undefined;
  return {
    project: l[L.lease] ?? '',
    owner: l[L.owner] ?? '',
    host: l[L.host] ?? '',
    pid: Number(l[L.pid] ?? 0),
    procStart: l[L.procStart] ?? '',
    stateDir: l[L.stateDir] ?? '',
  };
}

/** Whether the keeper a lease names still runs; `probe` reads a pid's start time (undefined: no such process). */
export function keeperState(
  lease: Lease | undefined,
  me: DaemonIdentity,
  probe: (pid: number) => string | undefined = processStart,
): Keeper {
  if (!lease) return 'none';
  if (lease.owner === me.id) return 'self';
  if (lease.host !== me.host) return 'unknown';
  const start = probe(lease.pid);
  if (start === undefined) return 'gone';
  return lease.procStart && start !== lease.procStart ? 'gone' : 'alive';
}

export function describeKeeper(lease: Lease): string {
  return `orc daemon ${lease.owner} (state dir ${lease.stateDir}, pid ${lease.pid}, host ${lease.host})`;
}

export interface LeaseDeps {
  engine: Engine;
  me: DaemonIdentity;
  probe?: (pid: number) => string | undefined;
  /** How the lease volume is read (default: an inspect; `up` and `down` read it through the observed cache). */
  readVolume?: (name: string) => Promise<EngineVolume | undefined>;
}

export async function readLease(engine: Engine, project: string): Promise<Lease | undefined> {
  return leaseOf(await engine.inspectVolume(leaseVolume(project)));
}

/**
 * Makes this daemon the project's keeper, given the lease read just before (by `checkLease`, which
 * refused if it had to): a no-op when the lease already names this very process. Returns the keeper it
 * took the project from, when that was another daemon.
 */
export async function claimLease(
  deps: LeaseDeps,
  project: string,
  current: Lease | undefined,
): Promise<{ from?: Lease }> {
  const { me } = deps;
  if (current?.owner === me.id && current.pid === me.pid && current.procStart === me.procStart) return {};
  if (current) await deps.engine.removeVolume(leaseVolume(project));
  await deps.engine.createVolume({
    Name: leaseVolume(project),
    Labels: {
      [L.lease]: project,
      [L.owner]: me.id,
      [L.host]: me.host,
      [L.pid]: String(me.pid),
      [L.procStart]: me.procStart,
      [L.stateDir]: me.stateDir,
    },
  });
  return current && current.owner !== me.id ? { from: current } : {};
}

/** Before acting on a project (`up`, `down`): refuse while another live keeper has it; the lease read. */
export async function checkLease(
  deps: LeaseDeps,
  project: string,
  force: boolean,
): Promise<Lease | undefined> {
  const current = deps.readVolume
    ? leaseOf(await deps.readVolume(leaseVolume(project)))
    : await readLease(deps.engine, project);
  const keeper = keeperState(current, deps.me, deps.probe);
  if ((keeper === 'alive' || keeper === 'unknown') && !force && current) {
    throw keptElsewhere(project, current, keeper);
  }
  return current;
}

export async function dropLease(engine: Engine, project: string): Promise<void> {
  await engine.removeVolume(leaseVolume(project));
}

function keptElsewhere(project: string, lease: Lease, keeper: Keeper): OrcError {
  const why =
    keeper === 'unknown'
      ? 'it runs on another host, so whether it is alive cannot be told from here'
      : 'it is running';
  return new OrcError(
    'PROJECT_KEPT_ELSEWHERE',
    `project "${project}" is kept by another ${describeKeeper(lease)}; ${why}, and it would undo what this ` +
      'daemon does. Run the command against that daemon (its ORC_HOST), stop it, or pass --force to take the ' +
      'project over (the other daemon then stops converging it and says so)',
    { project, keeper: lease },
  );
}

/**
 * Projects this daemon holds a lease on but keeps no record of (the record was deleted, or set aside):
 * the labels say it kept them. Their record cannot be rebuilt from labels alone (they hold each service's
 * definition, not the client environment the files were interpolated with), so the daemon says so, with
 * the command that keeps the project again, at start.
 */
export async function leasedWithoutRecord(
  engine: Engine,
  me: DaemonIdentity,
  recorded: ReadonlySet<string>,
): Promise<string[]> {
  const volumes = await engine.listVolumes({ label: [`${L.owner}=${me.id}`] });
  return volumes
    .map((v) => leaseOf(v)?.project)
    .filter((p): p is string => p !== undefined && p !== '' && !recorded.has(p))
    .sort();
}
