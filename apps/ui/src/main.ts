/**
 * The orc status page: routes by the URL hash (`#/` projects, `#/p/NAME` one project), live over the
 * daemon's event stream (no reload), logged in with a session cookie (never the token in a URL).
 */
import { api, setUnauthorizedHandler } from './api.js';
import { h, mount } from './dom.js';
import './style.css';
import type { DaemonEvent, ProjectSummary } from './types.js';
import { renderLogin } from './views/login.js';
import { createProjectView, type ProjectView } from './views/project.js';
import { renderProjects } from './views/projects.js';

const app = document.getElementById('app') as HTMLElement;
const live = document.getElementById('live') as HTMLElement;
const logout = document.getElementById('logout') as HTMLButtonElement;

let events: AbortController | undefined;
let view: ProjectView | undefined;
let listRefresh: (() => void) | undefined;

function showLogin(): void {
  events?.abort();
  events = undefined;
  view?.close();
  view = undefined;
  listRefresh = undefined;
  logout.hidden = true;
  live.textContent = '';
  renderLogin(app, () => start());
}

setUnauthorizedHandler(showLogin);

logout.addEventListener('click', () => {
  api.logout().finally(showLogin);
});

async function start(): Promise<void> {
  try {
    await api.session();
  } catch {
    showLogin();
    return;
  }
  logout.hidden = false;
  if (!events) follow();
  route();
}

/** One stream of daemon events for the whole page; it reconnects (and re-reads) after a gap. */
function follow(): void {
  const ac = new AbortController();
  events = ac;
  void (async () => {
    let delay = 500;
    while (!ac.signal.aborted) {
      try {
        live.textContent = 'live';
        live.dataset.state = 'live';
        view?.refresh();
        listRefresh?.();
        for await (const e of api.stream<DaemonEvent>('/v1/events', ac.signal)) {
          delay = 500;
          if (view && e.project === currentProject()) view.onEvent(e);
          listRefresh?.();
        }
      } catch {
        // fall through to the retry
      }
      if (ac.signal.aborted) return;
      live.textContent = 'reconnecting…';
      live.dataset.state = 'down';
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  })();
}

function currentProject(): string | undefined {
  const m = /^#\/p\/(.+)$/.exec(location.hash);
  return m?.[1] ? decodeURIComponent(m[1]) : undefined;
}

function route(): void {
  view?.close();
  view = undefined;
  listRefresh = undefined;
  const name = currentProject();
  if (name) {
    view = createProjectView(name);
    document.title = `${name} · orc`;
    mount(
      app,
      h('nav', { class: 'crumbs' }, h('a', { href: '#/' }, 'All projects'), ` / ${name}`),
      view.element,
    );
  } else {
    document.title = 'orc';
    showProjects();
  }
  app.focus();
}

function showProjects(): void {
  let projects: ProjectSummary[] = [];
  const filter = h('input', { id: 'project-filter', type: 'search', placeholder: 'name or folder' });
  const table = h('div', {});
  const status = h('p', { class: 'muted', role: 'status' });
  mount(
    app,
    h('h1', {}, 'Projects'),
    h('div', { class: 'controls' }, h('label', { for: 'project-filter' }, 'Filter '), filter, status),
    table,
  );
  filter.addEventListener('input', () => renderProjects(table, projects, filter));
  let timer: number | undefined;
  let last = 0;
  /** How long the last read took: the next waits at least twice that (a slow engine or a loaded machine). */
  let took = 0;
  let loading = false;
  let again = false;
  const load = async () => {
    // One read at a time: with hundreds of projects a read can take longer than the events between two.
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    last = Date.now();
    try {
      projects = await api.projects();
      took = Date.now() - last;
      status.textContent = '';
      renderProjects(table, projects, filter);
    } catch (err) {
      status.textContent = (err as Error).message;
    } finally {
      loading = false;
      if (again) {
        again = false;
        listRefresh?.();
      }
    }
  };
  // Events can come by the hundred: the list is read again at most once a second, and never more often than
  // every two read times. The list is light (one engine list, no inspect per container), so this only bites
  // when the engine itself is slow.
  listRefresh = () => {
    if (timer !== undefined) return;
    const gap = Math.max(1000, 2 * took);
    timer = window.setTimeout(
      () => {
        timer = undefined;
        void load();
      },
      Math.max(200, gap - (Date.now() - last)),
    );
  };
  void load();
}

window.addEventListener('hashchange', () => {
  if (!logout.hidden) route();
});
void start();
