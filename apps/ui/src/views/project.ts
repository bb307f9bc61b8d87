import { ApiError, api } from '../api.js';
import { type Child, h, mount, since } from '../dom.js';
import { containerTone, projectCounts, projectTone, serviceState, stateWord } from '../status.js';
import type { DaemonEvent, OperationRecord, ProjectSummary, Publisher } from '../types.js';
import { createTimeline } from './events.js';
import { renderGraph } from './graph.js';
import { createLogsPanel } from './logs.js';

export interface ProjectView {
  element: HTMLElement;
  /** A daemon event about this project: shown at once, then the summary is read again. */
  onEvent(e: DaemonEvent): void;
  refresh(): void;
  close(): void;
}

/** One project: header and actions, services, containers, the graph, the plan, logs and events. */
export function createProjectView(name: string): ProjectView {
  let summary: ProjectSummary | undefined;
  const header = h('div', { class: 'project-head' });
  const progress = h('section', {
    class: 'panel progress',
    'aria-live': 'polite',
    'aria-label': 'Operation progress',
    hidden: true,
  });
  const services = h('section', { class: 'panel', 'aria-labelledby': 'services-title' });
  const containers = h('section', { class: 'panel', 'aria-labelledby': 'containers-title' });
  const graph = h('section', { class: 'panel', 'aria-labelledby': 'graph-title' });
  const planOut = h('div', { class: 'plan' });
  const planButton = h('button', { type: 'button' }, 'Show plan');
  const plan = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'plan-title' },
    h('h2', { id: 'plan-title' }, 'Plan'),
    h(
      'p',
      { class: 'muted' },
      'What Up would do now (a dry run from the files on disk), each step with its cause.',
    ),
    planButton,
    planOut,
  );
  const logs = createLogsPanel(name);
  const timeline = createTimeline();
  const dialog = h('dialog', { 'aria-labelledby': 'confirm-title' });
  const element = h(
    'div',
    { class: 'project' },
    header,
    progress,
    services,
    containers,
    h('div', { class: 'two' }, graph, plan),
    logs.element,
    timeline.element,
    dialog,
  );
  const ops = new Set<AbortController>();
  let timer: number | undefined;
  let busy = false;

  let asked = 0;
  let shown = 0;
  const load = async () => {
    // Reads can overlap (an event during a read): only a newer answer than the one drawn is drawn.
    const mine = ++asked;
    try {
      const answer = await api.project(name);
      if (mine < shown) return;
      shown = mine;
      summary = answer;
      render();
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        summary = undefined;
        mount(header, h('h1', {}, name), h('p', { class: 'muted' }, 'No such project (any more).'));
        for (const s of [services, containers, graph]) s.replaceChildren();
      }
    }
  };
  const refresh = () => {
    if (timer !== undefined) return;
    timer = window.setTimeout(() => {
      timer = undefined;
      void load();
    }, 150);
  };

  const render = () => {
    if (!summary) return;
    const p = summary;
    const focused = (document.activeElement as HTMLElement | null)?.dataset?.key;
    const k = projectCounts(p);
    mount(
      header,
      h('h1', {}, h('span', { class: `dot ${projectTone(k)}`, 'aria-hidden': 'true' }), p.name),
      h(
        'p',
        { class: 'muted' },
        `running ${k.running}/${k.expected} · ${p.workingDir} · ${p.configFiles.map(base).join(', ')}`,
      ),
      h(
        'div',
        { class: 'actions' },
        button(
          'Up',
          'project:up',
          () => confirmThen('up'),
          !p.registered,
          'Apply the project again from its files',
        ),
        button(
          'Down',
          'project:down',
          () => confirmThen('down'),
          false,
          'Stop and remove its containers and networks',
        ),
      ),
    );
    mount(
      services,
      h('h2', { id: 'services-title' }, 'Services'),
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Service', 'State', 'Wanted', 'Depends on', 'Actions'].map((t) =>
              h('th', { scope: 'col' }, t),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          ...p.services.map((svc) => {
            const st = serviceState(svc, p.containers);
            return h(
              'tr',
              {
                'data-service': svc.name,
                'data-state': st.label,
                'data-tone': st.tone,
                'aria-label': `service ${svc.name}`,
              },
              h('th', { scope: 'row' }, svc.name),
              h(
                'td',
                {},
                h('span', { class: `dot ${st.tone}`, 'aria-hidden': 'true' }),
                h('span', { class: 'state' }, st.label),
              ),
              h('td', {}, `${svc.desired}, ${svc.replicas} replica${svc.replicas === 1 ? '' : 's'}`),
              h('td', {}, (svc.dependsOn ?? []).join(', ')),
              h(
                'td',
                { class: 'actions' },
                button(
                  'Restart',
                  `svc:${svc.name}:restart`,
                  () => act('restart', [svc.name]),
                  false,
                  `Restart ${svc.name}`,
                ),
                button(
                  'Stop',
                  `svc:${svc.name}:stop`,
                  () => act('stop', [svc.name]),
                  false,
                  `Stop ${svc.name}`,
                ),
                button(
                  'Start',
                  `svc:${svc.name}:start`,
                  () => act('start', [svc.name]),
                  false,
                  `Start ${svc.name}`,
                ),
              ),
            );
          }),
        ),
      ),
    );
    const desiredOf = new Map(p.services.map((s) => [s.name, s.desired]));
    mount(
      containers,
      h('h2', { id: 'containers-title' }, 'Containers'),
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Container', 'State', 'Health', 'Restarts', 'Ports', 'Image', 'Up for'].map((t) =>
              h('th', { scope: 'col' }, t),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          ...p.containers.map((c) => {
            const tone = containerTone(c, desiredOf.get(c.Service));
            return h(
              'tr',
              {
                'data-container': c.Name,
                'data-state': c.State,
                'data-tone': tone,
                'data-started': c.StartedAt ?? '',
              },
              h('th', { scope: 'row' }, c.Name),
              h(
                'td',
                {},
                h('span', { class: `dot ${tone}`, 'aria-hidden': 'true' }),
                stateWord(c),
                h('div', { class: 'why' }, c.Status),
              ),
              h(
                'td',
                {},
                c.Health || '—',
                c.HealthOutput
                  ? h('details', {}, h('summary', {}, 'last check'), h('pre', {}, c.HealthOutput))
                  : '',
              ),
              h(
                'td',
                {},
                String(c.RestartCount),
                c.RestartReason ? h('div', { class: 'why' }, c.RestartReason) : '',
              ),
              h('td', {}, ...portLinks(c.Publishers)),
              h('td', { class: 'path' }, c.Image),
              h(
                'td',
                {},
                c.State === 'running' && c.StartedAt
                  ? h('time', { datetime: c.StartedAt, title: c.StartedAt }, since(c.StartedAt))
                  : '',
              ),
            );
          }),
        ),
      ),
    );
    mount(
      graph,
      h('h2', { id: 'graph-title' }, 'Dependencies'),
      renderGraph(
        p.services.map((svc) => {
          const st = serviceState(svc, p.containers);
          return { name: svc.name, dependsOn: svc.dependsOn ?? [], tone: st.tone, label: st.label };
        }),
      ),
    );
    logs.setSources(
      p.services.map((s) => s.name),
      p.containers.map((c) => ({ name: c.Name, service: c.Service })),
    );
    if (focused) element.querySelector<HTMLElement>(`[data-key="${CSS.escape(focused)}"]`)?.focus();
  };

  const button = (label: string, key: string, onClick: () => void, disabled: boolean, title: string) =>
    h(
      'button',
      { type: 'button', 'data-key': key, title, disabled: disabled || busy, onclick: () => onClick() },
      label,
    );

  /** Up and Down ask first, naming the project. */
  const confirmThen = (what: 'up' | 'down') => {
    const question =
      what === 'down'
        ? `Take project "${name}" down? Its containers and networks are removed (volumes are kept).`
        : `Apply project "${name}" again (up)? Its files are read again and the engine is brought to them.`;
    const yes = h(
      'button',
      { type: 'button', class: what === 'down' ? 'danger' : '' },
      what === 'down' ? `Take ${name} down` : `Apply ${name}`,
    );
    const no = h('button', { type: 'button' }, 'Cancel');
    mount(
      dialog,
      h('h2', { id: 'confirm-title' }, what === 'down' ? 'Down' : 'Up'),
      h('p', {}, question),
      h('div', { class: 'actions' }, yes, no),
    );
    yes.addEventListener('click', () => {
      dialog.close();
      void run(what === 'down' ? api.down(name) : api.up(name), what);
    });
    no.addEventListener('click', () => dialog.close());
    dialog.showModal();
    no.focus();
  };

  const act = (action: string, svcs: string[]) =>
    run(api.serviceAction(name, action, svcs), `${action} ${svcs.join(', ')}`);

  /** Starts an operation and shows its progress as the daemon streams it. */
  const run = async (started: Promise<{ operation: OperationRecord }>, title: string) => {
    busy = true;
    render();
    const list = h('ol', { class: 'steps' });
    const state = h('p', { class: 'op-state' }, `${title}: starting…`);
    mount(progress, h('h2', {}, 'Operation'), state, list);
    progress.hidden = false;
    const ac = new AbortController();
    ops.add(ac);
    try {
      const { operation } = await started;
      state.textContent = `${title}: running (${operation.id})`;
      state.dataset.state = 'running';
      for await (const item of api.progress(operation.id, ac.signal)) {
        if (item.type === 'progress') {
          const e = item.event;
          const secs = e.elapsedMs !== undefined ? ` ${(e.elapsedMs / 1000).toFixed(1)}s` : '';
          list.append(
            h(
              'li',
              { class: e.state },
              `${e.kind} ${e.resource} ${e.action} ${e.state}${secs}`,
              e.message ? h('div', { class: 'why' }, e.message) : '',
            ),
          );
        } else if (item.type === 'end') {
          const op = item.operation;
          state.textContent = `${title}: ${op.state}${op.error ? ` (${op.error.code}: ${op.error.message})` : ''}`;
          state.dataset.state = op.state;
        } else {
          state.textContent = `${title}: ${item.error.message}`;
          state.dataset.state = 'failed';
        }
      }
    } catch (err) {
      state.textContent = `${title}: ${(err as Error).message}`;
      state.dataset.state = 'failed';
    } finally {
      ops.delete(ac);
      busy = false;
      void load();
    }
  };

  planButton.addEventListener('click', async () => {
    planButton.disabled = true;
    mount(planOut, h('p', { class: 'muted' }, 'Planning…'));
    try {
      const { operation } = await api.plan(name);
      const lines = operation.plan ?? [];
      mount(
        planOut,
        lines.length
          ? h('pre', {}, lines.join('\n'))
          : h('p', {}, 'Nothing to do: the engine matches the files.'),
      );
    } catch (err) {
      mount(planOut, h('p', { class: 'error' }, (err as Error).message));
    } finally {
      planButton.disabled = false;
    }
  });

  void load();
  return {
    element,
    onEvent(e) {
      timeline.add(e);
      // The engine said it: show it before the summary is read again (a removed container goes red now).
      if (
        summary &&
        e.type === 'container' &&
        e.container &&
        (e.action === 'destroy' || e.action === 'die')
      ) {
        const c = summary.containers.find((x) => x.Name === e.container);
        if (c) {
          c.State = e.action === 'destroy' ? 'removed' : 'exited';
          c.ExitCode = Number(e.attributes?.exitCode ?? 1) || 1;
          c.Status = e.action === 'destroy' ? 'removed' : 'exited';
          render();
        }
      }
      refresh();
    },
    refresh,
    close() {
      logs.close();
      for (const ac of ops) ac.abort();
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}

function base(path: string): string {
  return path.split('/').pop() ?? path;
}

/** Published ports as links to this host's name (the daemon's page is opened by the same name). */
function portLinks(pubs: Publisher[]): Child[] {
  const seen = new Set<string>();
  const out: Child[] = [];
  for (const p of pubs) {
    if (!p.PublishedPort) continue;
    const key = `${p.PublishedPort}/${p.Protocol}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const label = `${p.PublishedPort}→${p.TargetPort}/${p.Protocol}`;
    if (p.Protocol === 'tcp') {
      const host = p.URL && p.URL !== '0.0.0.0' && p.URL !== '::' ? p.URL : location.hostname;
      const url = `http://${host.includes(':') ? `[${host}]` : host}:${p.PublishedPort}/`;
      out.push(h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, label), ' ');
    } else out.push(h('span', {}, label), ' ');
  }
  return out;
}
