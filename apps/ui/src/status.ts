/** How the page colours and counts states: pure functions of the summaries. */
import type { ContainerSummary, ProjectSummary, ServiceSummary } from './types.js';

export type Tone = 'ok' | 'warn' | 'bad' | 'idle';

export function containerTone(c: ContainerSummary, desired: ServiceSummary['desired'] = 'running'): Tone {
  switch (c.State) {
    case 'running':
      if (c.Health === 'unhealthy') return 'bad';
      return c.Health === 'starting' ? 'warn' : 'ok';
    case 'restarting':
      return 'warn';
    case 'paused':
    case 'created':
      return 'idle';
    case 'exited':
      // A clean exit (a one-shot job done, or stopped as asked) is not a failure.
      return desired === 'running' && c.ExitCode !== 0 ? 'bad' : 'idle';
    default:
      // dead, removing, and `removed` (the page's own mark when the engine says it was destroyed).
      return 'bad';
  }
}

export interface Counts {
  running: number;
  expected: number;
  unhealthy: number;
  restarting: number;
  stopped: number;
}

export function projectCounts(p: ProjectSummary): Counts {
  const wanted = p.services.filter((s) => s.desired === 'running').reduce((n, s) => n + s.replicas, 0);
  const c = p.containers;
  return {
    running: c.filter((x) => x.State === 'running').length,
    expected: Math.max(wanted, p.registered ? 0 : c.length),
    unhealthy: c.filter((x) => x.Health === 'unhealthy').length,
    restarting: c.filter((x) => x.State === 'restarting').length,
    stopped: c.filter((x) => x.State === 'exited' || x.State === 'created' || x.State === 'dead').length,
  };
}

export function projectTone(k: Counts): Tone {
  if (k.unhealthy || (k.expected > 0 && k.running < k.expected && !k.restarting)) return 'bad';
  if (k.restarting) return 'warn';
  return k.running > 0 ? 'ok' : 'idle';
}

const RANK: Record<Tone, number> = { ok: 0, idle: 1, warn: 2, bad: 3 };

/** A service's state: its worst container, `missing` when it should run and has none, `stopped` as asked. */
export function serviceState(
  svc: ServiceSummary,
  containers: ContainerSummary[],
): { label: string; tone: Tone } {
  const mine = containers.filter((c) => c.Service === svc.name);
  if (svc.desired !== 'running' && mine.every((c) => c.State !== 'running'))
    return { label: svc.desired, tone: 'idle' };
  const running = mine.filter((c) => c.State === 'running').length;
  if (mine.length === 0)
    return { label: svc.replicas === 0 ? 'scaled to 0' : 'missing', tone: svc.replicas ? 'bad' : 'idle' };
  let worst: ContainerSummary | undefined;
  for (const c of mine) {
    if (!worst || RANK[containerTone(c, svc.desired)] > RANK[containerTone(worst, svc.desired)]) worst = c;
  }
  const tone = worst ? containerTone(worst, svc.desired) : 'idle';
  const short = running < svc.replicas && svc.desired === 'running';
  const label =
    tone === 'ok' && !short
      ? 'running'
      : worst && tone !== 'ok'
        ? stateWord(worst)
        : `running ${running}/${svc.replicas}`;
  return { label, tone: short && tone === 'ok' ? 'bad' : tone };
}

export function stateWord(c: ContainerSummary): string {
  if (c.State === 'running' && c.Health) return c.Health === 'healthy' ? 'running' : c.Health;
  if (c.State === 'exited') return `exited (${c.ExitCode})`;
  return c.State;
}
