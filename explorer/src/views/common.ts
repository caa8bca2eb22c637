// Building blocks shared by the pages.
import { h } from '../dom';

/** A two-column table of labels and values. */
export function kv(rows: Array<[string, Node | string | null]>): HTMLTableElement {
  return h(
    'table',
    { class: 'kv' },
    h('tbody', null, rows.map(([k, v]) => h('tr', null, h('th', null, k), h('td', null, v ?? h('span', { class: 'muted' }, '–'))))),
  );
}

/** A titled card. */
export function section(title: string, body: Node, id?: string): HTMLElement {
  return h('section', { class: 'card', id }, h('h2', null, title), body);
}

export function notFound(message: string): HTMLElement {
  return h('section', { class: 'card notice' }, h('h2', null, 'Not found'), h('p', null, message), h('p', null, h('a', { href: '#/' }, '← Latest blocks')));
}
