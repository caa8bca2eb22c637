// A transaction: what was signed, its receipt, the events it emitted and its
// call tree. A transaction still in the mempool is shown as pending and the
// page follows it until it is in a block.
import type { App, Page } from '../app';
import { h, replace } from '../dom';
import { addressLink, badge, blockLink, copyable, json, jsonText, num } from '../format';
import type { CallFrame, Receipt, Transaction, TxLookup } from '../types';
import { kv, notFound, section } from './common';

/** "call Transfer → 0x12…", "deploy", "transfer 1,000 → 0x…" for lists. */
export function actionSummary(t: Transaction, keep = 6): HTMLElement {
  const a = t.action;
  switch (a.type) {
    case 'call':
      return h('span', null, h('span', { class: 'tag call' }, 'call'), ' ', h('span', { class: 'method' }, a.method ?? ''), ' ', addressLink(a.contract, false, keep));
    case 'transfer':
      return h('span', null, h('span', { class: 'tag transfer' }, 'transfer'), ' ', num(a.amount), ' → ', addressLink(a.to, false, keep));
    case 'deploy':
      return h('span', null, h('span', { class: 'tag deploy' }, 'deploy'), a.init_method ? ` ${a.init_method}` : '');
    default:
      return h('span', null, h('span', { class: `tag ${a.type}` }, a.type), ' ', addressLink(a.contract, false, keep));
  }
}

export async function txView(app: App, root: HTMLElement, page: Page, hash: string): Promise<void> {
  const found = await app.api.transaction(hash);
  if (!found) {
    replace(root, notFound(`No transaction ${hash} in a block or in the mempool.`));
    return;
  }
  if (found.pending) {
    replace(
      root,
      h('h1', null, 'Transaction', badge('pending')),
      h('section', { class: 'card' }, kv([['Hash', copyable(found.hash)], ['State', 'waiting in the mempool; this page updates when it is in a block']])),
    );
    const check = async () => {
      const now = await app.api.transaction(hash);
      if (now && !now.pending && !page.left) render(root, now);
    };
    app.live.on(() => void check(), page);
    page.every(2000, () => void check());
    return;
  }
  render(root, found);
}

function render(root: HTMLElement, t: Extract<TxLookup, { pending: false }>): void {
  const r = t.receipt;
  const a = t.action;
  const target = a.type === 'transfer' ? a.to : a.type === 'deploy' ? r?.contract : a.contract;
  const overview: Array<[string, Node | string | null]> = [
    ['Hash', copyable(t.hash)],
    ['Status', r ? badge(r.status) : badge('pending')],
    ['Block', h('span', null, blockLink(t.height), h('span', { class: 'muted' }, ` position ${t.position}`))],
    ['From', addressLink(t.from, true)],
    ['Action', h('span', { class: `tag ${a.type}` }, a.type)],
    [a.type === 'transfer' ? 'To' : 'Contract', addressLink(target ?? null, true)],
  ];
  if (a.method) overview.push(['Method', h('span', { class: 'method' }, a.method)]);
  if (a.type === 'call') overview.push(['Arguments', h('pre', { class: 'json' }, jsonText(a.args))]);
  if (a.type === 'deploy') {
    overview.push(['Code', h('span', null, h('span', { class: 'mono' }, a.code_hash ?? ''), h('span', { class: 'muted' }, ` ${num(a.code_size)} bytes`))]);
    if (a.init_method) overview.push(['Init', h('span', null, h('span', { class: 'method' }, a.init_method), h('pre', { class: 'json' }, jsonText(a.init_args)))]);
  }
  if (a.type === 'transfer') overview.push(['Amount', num(a.amount)]);
  if (a.value !== undefined && Number(a.value) !== 0) overview.push(['Value', num(a.value)]);
  if (a.type === 'destroy') overview.push(['Beneficiary', addressLink(a.beneficiary, true)]);
  overview.push(
    ['Nonce', num(t.nonce)],
    ['Gas', r ? `${num(r.gas_used)} used of ${num(t.gas_limit)} × price ${num(t.gas_price)}` : `limit ${num(t.gas_limit)}`],
  );
  if (r) overview.push(['Fee', num(r.fee)]);
  overview.push(['Expiry height', num(t.expiry_height)], ['Signer key', h('span', { class: 'mono small' }, t.signer)]);

  replace(
    root,
    h('h1', null, 'Transaction', h('span', { class: 'mono title-hash' }, t.hash)),
    section('Overview', kv(overview), 'tx-overview'),
    r ? receiptSection(r) : null,
    r ? eventsSection(r) : null,
    r ? traceSection(t, r) : null,
  );
}

function receiptSection(r: Receipt): HTMLElement {
  const rows: Array<[string, Node | string | null]> = [
    ['Status', badge(r.status)],
    ['Result', r.result === null ? h('span', { class: 'muted' }, 'none') : h('pre', { class: 'json', id: 'tx-result' }, json(r.result))],
  ];
  if (r.error) rows.push(['Error', h('span', { class: 'error-text' }, r.error)]);
  if (r.contract) rows.push(['Contract', addressLink(r.contract, true)]);
  if (r.code_hash) rows.push(['Code hash', h('span', { class: 'mono' }, r.code_hash), ]);
  if (r.code_was_new !== null) rows.push(['Code was new', r.code_was_new ? 'yes' : 'no (already stored)']);
  if (r.exit_code) rows.push(['Exit code', String(r.exit_code)]);
  rows.push(['Gas used', num(r.gas_used)], ['Gas price', num(r.gas_price)], ['Fee', num(r.fee)]);
  return section('Receipt', kv(rows), 'tx-receipt');
}

function eventsSection(r: Receipt): HTMLElement {
  if (r.events.length === 0) return section(`Events`, h('p', { class: 'empty' }, 'No events.'), 'tx-events');
  return section(
    `Events (${r.events.length})`,
    h(
      'table',
      { class: 'list events' },
      h('thead', null, h('tr', null, h('th', null, '#'), h('th', null, 'Contract'), h('th', null, 'Name'), h('th', null, 'Data'))),
      h(
        'tbody',
        null,
        r.events.map((e, i) =>
          h(
            'tr',
            null,
            h('td', { class: 'muted' }, String(i)),
            h('td', null, addressLink(e.contract)),
            h('td', null, h('span', { class: 'event-name' }, e.name)),
            h('td', null, h('pre', { class: 'json inline' }, json(e.data))),
          ),
        ),
      ),
    ),
    'tx-events',
  );
}

function traceSection(t: Transaction, r: Receipt): HTMLElement | null {
  if (r.trace) return section('Call trace', h('ul', { class: 'trace' }, frame(r.trace)), 'tx-trace');
  const a = t.action;
  const method = a.type === 'call' ? a.method : a.type === 'deploy' ? a.init_method : a.type === 'upgrade' ? a.migrate_method : null;
  if (!method) return null;
  // The node answers no call tree for committed transactions: show the call
  // the transaction made and which contracts emitted its events.
  const emitters = [...new Set(r.events.map((e) => e.contract))].filter((c) => c !== r.contract);
  return section(
    'Call trace',
    h(
      'div',
      null,
      h(
        'ul',
        { class: 'trace' },
        h(
          'li',
          null,
          h(
            'div',
            { class: 'frame' },
            badge(r.status),
            ' ',
            addressLink(r.contract),
            '.',
            h('span', { class: 'method' }, method),
            h('span', { class: 'muted' }, ` gas ${num(r.gas_used)} of ${num(t.gas_limit)}`),
            a.value !== undefined && Number(a.value) !== 0 ? h('span', { class: 'muted' }, ` value ${num(a.value)}`) : null,
            r.error ? h('div', { class: 'error-text' }, r.error) : null,
          ),
          emitters.length
            ? h('ul', null, emitters.map((c) => h('li', null, h('div', { class: 'frame nested' }, addressLink(c), h('span', { class: 'muted' }, ' called (emitted events)')))))
            : null,
        ),
      ),
      h('p', { class: 'note' }, 'The node keeps no call tree of committed transactions: shown are the top-level call and the other contracts that emitted events.'),
    ),
    'tx-trace',
  );
}

function frame(f: CallFrame): HTMLLIElement {
  return h(
    'li',
    null,
    h(
      'div',
      { class: 'frame' },
      badge(f.status),
      ' ',
      addressLink(f.contract),
      '.',
      h('span', { class: 'method' }, f.method || '(no code run)'),
      h('span', { class: 'muted' }, ` gas ${num(f.gas_used)} of ${num(f.gas_limit)}`),
      Number(f.value) !== 0 ? h('span', { class: 'muted' }, ` value ${num(f.value)}`) : null,
      f.error ? h('div', { class: 'error-text' }, f.error) : null,
    ),
    f.calls.length ? h('ul', null, f.calls.map(frame)) : null,
  );
}

