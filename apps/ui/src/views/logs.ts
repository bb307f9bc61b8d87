import { api } from '../api.js';
import { h } from '../dom.js';
import type { LogLine } from '../types.js';

/** Lines kept in the browser per view; older ones are dropped as new ones come. */
export const LOG_BUFFER = 2000;

/** Logs of a project, all, one service or one container: follow, text filter, timestamps, a bounded buffer. */
export function createLogsPanel(project: string): {
  element: HTMLElement;
  setSources(services: string[], containers: Array<{ name: string; service: string }>): void;
  close(): void;
} {
  const lines: LogLine[] = [];
  let stream: AbortController | undefined;
  /** `''` all, `s:NAME` a service, `c:SERVICE:NAME` a container (its service's stream, kept to its lines). */
  const service = h('select', { id: 'log-service' }, h('option', { value: '' }, 'all services'));
  const containerOf = () => (service.value.startsWith('c:') ? service.value.split(':')[2] : undefined);
  const follow = h('input', { id: 'log-follow', type: 'checkbox', checked: true });
  const stamps = h('input', { id: 'log-stamps', type: 'checkbox' });
  const filter = h('input', { id: 'log-filter', type: 'search', placeholder: 'text in the line' });
  const status = h('span', { class: 'muted', role: 'status' });
  const out = h('pre', { class: 'logs', role: 'log', 'aria-label': 'Log lines', tabindex: 0 });

  const matches = (l: LogLine) => {
    const f = filter.value;
    const only = containerOf();
    return (!only || l.container === only) && (!f || l.line.includes(f) || l.container.includes(f));
  };
  const text = (l: LogLine) => `${stamps.checked ? `${l.time} ` : ''}${l.container} | ${l.line}\n`;
  const renderAll = () => {
    out.textContent = lines.filter(matches).map(text).join('');
    out.scrollTop = out.scrollHeight;
  };
  const start = () => {
    stream?.abort();
    const ac = new AbortController();
    stream = ac;
    lines.length = 0;
    renderAll();
    const q = new URLSearchParams({ tail: '200', timestamps: 'true', follow: String(follow.checked) });
    const svc = service.value.split(':')[1];
    if (svc) q.append('service', svc);
    status.textContent = follow.checked ? 'following' : 'loading';
    void (async () => {
      let pending: LogLine[] = [];
      let scheduled = false;
      const flush = () => {
        scheduled = false;
        const atEnd = out.scrollTop + out.clientHeight >= out.scrollHeight - 4;
        lines.push(...pending);
        const dropped = Math.max(0, lines.length - LOG_BUFFER);
        if (dropped) {
          lines.splice(0, dropped);
          renderAll();
        } else {
          out.append(pending.filter(matches).map(text).join(''));
          if (atEnd) out.scrollTop = out.scrollHeight;
        }
        pending = [];
      };
      try {
        for await (const l of api.stream<LogLine>(
          `/v1/projects/${encodeURIComponent(project)}/logs?${q}`,
          ac.signal,
        )) {
          pending.push(l);
          if (!scheduled) {
            scheduled = true;
            requestAnimationFrame(flush);
          }
        }
        if (pending.length) flush();
        if (stream === ac) status.textContent = follow.checked ? 'stream ended' : `${lines.length} lines`;
      } catch (err) {
        if (!ac.signal.aborted) status.textContent = `logs: ${(err as Error).message}`;
      }
    })();
  };
  service.addEventListener('change', start);
  follow.addEventListener('change', () => {
    if (follow.checked) start();
    else {
      stream?.abort();
      status.textContent = `paused, ${lines.length} lines`;
    }
  });
  stamps.addEventListener('change', renderAll);
  filter.addEventListener('input', renderAll);

  const element = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'logs-title' },
    h('h2', { id: 'logs-title' }, 'Logs'),
    h(
      'div',
      { class: 'controls' },
      h('label', { for: 'log-service' }, 'Service '),
      service,
      h('label', {}, follow, ' Follow'),
      h('label', {}, stamps, ' Timestamps'),
      h('label', { for: 'log-filter' }, 'Filter '),
      filter,
      status,
    ),
    out,
  );
  let known = '';
  return {
    element,
    setSources(services, containers) {
      const options = [
        ...services.map((n) => ({ value: `s:${n}`, label: n })),
        ...containers.map((c) => ({ value: `c:${c.service}:${c.name}`, label: `container ${c.name}` })),
      ];
      const key = options.map((o) => o.value).join(',');
      if (key === known) return;
      const first = !known;
      known = key;
      const current = service.value;
      service.replaceChildren(
        h('option', { value: '' }, 'all services'),
        ...options.map((o) => h('option', { value: o.value }, o.label)),
      );
      // A container gone for a moment (being repaired) stays chosen: its lines come back with it.
      if (current && !options.some((o) => o.value === current)) {
        service.append(h('option', { value: current }, current.split(':').pop() ?? current));
      }
      service.value = current;
      if (first) start();
    },
    close: () => stream?.abort(),
  };
}
