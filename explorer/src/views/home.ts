// The front page: the chain at a glance, the latest blocks (updated live
// from the newHeads subscription) and the transactions in them.
import type { App, Page } from '../app';
import { h, replace } from '../dom';
import { addressLink, age, blockLink, num, short, txLink } from '../format';
import { txBodies, type Block, type BlockHeader, type ChainInfo, type Transaction } from '../types';
import { actionSummary } from './tx';

const BLOCKS_SHOWN = 12;
const TXS_SHOWN = 12;

export async function homeView(app: App, root: HTMLElement, page: Page): Promise<void> {
  const info = await app.api.chainInfo();
  const head = Number(info.head_height);
  const first = Math.max(0, head - BLOCKS_SHOWN + 1);
  const heights = Array.from({ length: head - first + 1 }, (_, i) => head - i);
  const blocks = (await Promise.all(heights.map((n) => app.api.block(n, true)))).filter((b): b is Block => b !== null);

  const stats = h('section', { class: 'stats' });
  const renderStats = (i: ChainInfo) =>
    replace(
      stats,
      stat('Chain', i.chain_id, 'chain-id'),
      stat('Head', blockLink(i.head_height), 'head-height'),
      stat('Mempool', `${num(i.mempool_size)} waiting`),
      stat('Block gas limit', num(i.block_gas_limit)),
      stat('Min gas price', num(i.min_gas_price)),
      stat('Producer', addressLink(i.producer)),
    );
  renderStats(info);

  const blockRows = h('tbody', { id: 'latest-blocks' });
  const txRows = h('tbody', { id: 'latest-txs' });
  const txEmpty = h('p', { class: 'empty' }, 'No transactions in the latest blocks yet.');
  for (const b of blocks) blockRows.appendChild(blockRow(b));
  const txs = blocks.flatMap((b) => txsOf(b)).slice(0, TXS_SHOWN);
  for (const [t, height] of txs) txRows.appendChild(txRow(t, height));
  txEmpty.hidden = txs.length > 0;

  replace(
    root,
    stats,
    h(
      'div',
      { class: 'columns' },
      h(
        'section',
        { class: 'card' },
        h('h2', null, 'Latest blocks', h('span', { class: 'live-tag', title: 'updated as blocks are committed' }, 'live')),
        h(
          'table',
          { class: 'list' },
          h('thead', null, h('tr', null, h('th', null, 'Height'), h('th', null, 'Hash'), h('th', { class: 'num' }, 'Txs'), h('th', { class: 'num' }, 'Gas used'), h('th', null, 'Age'))),
          blockRows,
        ),
      ),
      h(
        'section',
        { class: 'card' },
        h('h2', null, 'Latest transactions'),
        h(
          'table',
          { class: 'list' },
          h('thead', null, h('tr', null, h('th', null, 'Hash'), h('th', null, 'Action'), h('th', null, 'From'), h('th', null, 'Block'))),
          txRows,
        ),
        txEmpty,
      ),
    ),
  );

  const refreshAges = () => {
    for (const el of root.querySelectorAll<HTMLElement>('[data-time]')) el.textContent = age(Number(el.dataset.time));
  };
  page.every(5000, refreshAges);

  const onHead = async (header: BlockHeader) => {
    if (blockRows.querySelector(`[data-height="${header.height}"]`)) return;
    const row = blockRow(header);
    row.classList.add('fresh');
    blockRows.insertBefore(row, blockRows.firstChild);
    while (blockRows.children.length > BLOCKS_SHOWN) blockRows.lastChild?.remove();
    const [i, full] = await Promise.all([app.api.chainInfo(), header.tx_count > 0 ? app.api.block(header.height, true) : null]);
    if (page.left) return;
    renderStats(i);
    if (!full) return;
    for (const [t, height] of txsOf(full).reverse()) {
      const r = txRow(t, height);
      r.classList.add('fresh');
      txRows.insertBefore(r, txRows.firstChild);
    }
    while (txRows.children.length > TXS_SHOWN) txRows.lastChild?.remove();
    txEmpty.hidden = true;
  };
  app.live.on((header) => {
    onHead(header).catch((e: Error) => console.warn(`explorer: block ${header.height}: ${e.message}`));
  }, page);
}

function stat(label: string, value: Node | string, id?: string): HTMLElement {
  return h('div', { class: 'stat' }, h('div', { class: 'label' }, label), h('div', { class: 'value', id }, value));
}

function txsOf(b: Block): Array<[Transaction, Block['height']]> {
  return txBodies(b).map((t) => [t, b.height]);
}

function blockRow(b: BlockHeader): HTMLTableRowElement {
  return h(
    'tr',
    { 'data-height': String(b.height) },
    h('td', null, blockLink(b.height)),
    h('td', null, h('a', { href: `#/block/${b.height}`, class: 'mono muted-link', title: b.hash }, short(b.hash, 8))),
    h('td', { class: 'num' }, num(b.tx_count)),
    h('td', { class: 'num' }, num(b.gas_used)),
    h('td', { class: 'muted', 'data-time': String(b.time_ms), title: new Date(Number(b.time_ms)).toISOString() }, age(b.time_ms)),
  );
}

function txRow(t: Transaction, height: Block['height']): HTMLTableRowElement {
  return h(
    'tr',
    { 'data-tx': t.hash },
    h('td', null, txLink(t.hash, false, 5)),
    h('td', null, actionSummary(t, 4)),
    h('td', null, addressLink(t.from, false, 4)),
    h('td', null, blockLink(height)),
  );
}
