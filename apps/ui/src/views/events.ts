import { clock, h } from '../dom.js';
import type { DaemonEvent } from '../types.js';

const KEPT = 300;

/** The events timeline, newest first: what happened and why (recreate causes, restart policy, repairs). */
export function createTimeline(): { element: HTMLElement; add(e: DaemonEvent): void } {
  const list = h('ol', { class: 'timeline', reversed: true });
  const element = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'events-title' },
    h('h2', { id: 'events-title' }, 'Events'),
    h('p', { class: 'muted' }, 'Live from the daemon since this page opened.'),
    list,
  );
  return {
    element,
    add(e) {
      const who = [e.service, e.container ? `(${e.container})` : ''].filter(Boolean).join(' ');
      list.prepend(
        h(
          'li',
          { class: `ev ${e.type}` },
          h('time', { datetime: e.time }, clock(e.time)),
          ' ',
          h('strong', {}, `${e.type} ${e.action}`),
          who ? ` ${who}` : '',
          e.reason ? h('div', { class: 'why' }, e.reason) : '',
        ),
      );
      while (list.children.length > KEPT) list.lastElementChild?.remove();
    },
  };
}
