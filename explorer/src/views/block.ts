// A block: its header and its transactions with their outcome.
import type { App, Page } from '../app';
import { h, replace } from '../dom';
import { addressLink, badge, copyable, num, txLink, utc } from '../format';
import { txBodies } from '../types';
import { kv, notFound, section } from './common';
import { actionSummary } from './tx';

/** Receipts fetched for a block's list; a larger block links to each transaction. */
const RECEIPTS_SHOWN = 200;

export async function blockView(app: App, root: HTMLElement, page: Page, id: string): Promise<void> {
  const block = await app.api.block(/^\d+$/.test(id) ? Number(id) : { hash: id }, true);
  if (!block) {
    replace(root, notFound(`No block ${id} yet.`));
    // A height just above the head: show it as soon as it is committed.
    if (/^\d+$/.test(id)) app.live.on((head) => String(head.height) === id && void blockView(app, root, page, id), page);
    return;
  }
  const height = Number(block.height);
  const txs = txBodies(block);
  const receipts = await Promise.all(txs.slice(0, RECEIPTS_SHOWN).map((t) => app.api.receipt(t.hash).catch(() => null)));
  const next = h('a', { href: `#/block/${height + 1}`, class: 'button' }, 'Next →');
  replace(
    root,
    h(
      'div',
      { class: 'title-row' },
      h('h1', null, 'Block', h('span', { id: 'block-height' }, `#${block.height}`)),
      h('nav', { class: 'pager' }, height > 0 ? h('a', { href: `#/block/${height - 1}`, class: 'button' }, '← Previous') : null, next),
    ),
    section(
      'Header',
      kv([
        ['Hash', copyable(block.hash)],
        ['Parent', height > 0 ? h('a', { href: `#/block/${height - 1}`, class: 'mono' }, block.parent_hash) : h('span', { class: 'mono' }, block.parent_hash)],
        ['Time', utc(block.time_ms)],
        ['Producer', addressLink(block.producer, true)],
        ['Transactions', num(block.tx_count)],
        ['Gas used', num(block.gas_used)],
        ['State root', h('span', { class: 'mono' }, block.state_root)],
        ['Transactions root', h('span', { class: 'mono' }, block.tx_root)],
        ['Receipts root', h('span', { class: 'mono' }, block.receipts_root)],
        ['Producer key', h('span', { class: 'mono small' }, block.producer_key)],
        ['Signature', h('span', { class: 'mono small wrap' }, block.signature)],
      ]),
      'block-header',
    ),
    section(
      `Transactions (${txs.length})`,
      txs.length === 0
        ? h('p', { class: 'empty' }, height === 0 ? 'The genesis block holds no transactions.' : 'No transactions.')
        : h(
            'table',
            { class: 'list' },
            h('thead', null, h('tr', null, h('th', null, '#'), h('th', null, 'Hash'), h('th', null, 'Action'), h('th', null, 'From'), h('th', null, 'Status'), h('th', { class: 'num' }, 'Gas used'))),
            h(
              'tbody',
              { id: 'block-txs' },
              txs.map((t, i) =>
                h(
                  'tr',
                  { 'data-tx': t.hash },
                  h('td', { class: 'muted' }, String(i)),
                  h('td', null, txLink(t.hash)),
                  h('td', null, actionSummary(t)),
                  h('td', null, addressLink(t.from)),
                  h('td', null, receipts[i] ? badge(receipts[i]!.status) : null),
                  h('td', { class: 'num' }, receipts[i] ? num(receipts[i]!.gas_used) : null),
                ),
              ),
            ),
          ),
      'block-transactions',
    ),
  );
}
