import { h, mount, since } from '../dom.js';
import { projectCounts, projectTone } from '../status.js';
import type { ProjectSummary } from '../types.js';

/** The project list: one row per project, built in one pass (fast with hundreds). */
export function renderProjects(
  root: HTMLElement,
  projects: ProjectSummary[],
  filter: HTMLInputElement,
): void {
  const text = filter.value.trim().toLowerCase();
  const shown = text
    ? projects.filter((p) => p.name.includes(text) || p.workingDir.toLowerCase().includes(text))
    : projects;
  const rows = shown.map((p) => {
    const k = projectCounts(p);
    const tone = projectTone(k);
    const badges = [
      k.unhealthy ? h('span', { class: 'badge bad' }, `${k.unhealthy} unhealthy`) : null,
      k.restarting ? h('span', { class: 'badge warn' }, `${k.restarting} restarting`) : null,
      k.stopped ? h('span', { class: 'badge idle' }, `${k.stopped} stopped`) : null,
      p.registered
        ? null
        : h(
            'span',
            { class: 'badge idle', title: 'found on the engine, not kept by this daemon' },
            'not kept',
          ),
    ];
    return h(
      'tr',
      { 'data-project': p.name },
      h('th', { scope: 'row' }, h('a', { href: `#/p/${encodeURIComponent(p.name)}` }, p.name)),
      h(
        'td',
        {},
        h('span', { class: `dot ${tone}`, 'aria-hidden': 'true' }),
        `running ${k.running}/${k.expected} `,
        ...badges,
      ),
      h('td', { class: 'path' }, p.workingDir),
      h(
        'td',
        {},
        p.lastChange
          ? h(
              'time',
              { datetime: p.lastChange.time, title: p.lastChange.time },
              `${since(p.lastChange.time)} ago`,
            )
          : '',
        p.lastChange ? h('div', { class: 'why' }, p.lastChange.what) : '',
      ),
    );
  });
  mount(
    root,
    h(
      'table',
      { class: 'projects' },
      h('caption', {}, `${shown.length} of ${projects.length} projects`),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Project'),
          h('th', { scope: 'col' }, 'Status'),
          h('th', { scope: 'col' }, 'Files'),
          h('th', { scope: 'col' }, 'Last change'),
        ),
      ),
      h('tbody', {}, ...rows),
    ),
  );
}
