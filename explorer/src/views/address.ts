// An account or a contract: balance and nonce; for a contract its code, its
// ABI methods, each with a form that runs a read-only call (ward_call), and
// its latest events.
import { AbiCodec, type Json } from '@ward/sdk';
import { ArgError, formParams, inputFor, readArgs, signature } from '../abi-form';
import type { App, Page } from '../app';
import { h, replace } from '../dom';
import { addressLink, badge, blockLink, copyable, json, num, txLink } from '../format';
import type { Abi, AbiMethod, CallOutcome, IndexedEvent } from '../types';
import { kv, section } from './common';

/** Blocks searched back from the head for a contract's latest events. */
const EVENT_WINDOW = 10_000;
const EVENTS_SHOWN = 20;

export async function addressView(app: App, root: HTMLElement, page: Page, address: string): Promise<void> {
  const [account, abi] = await Promise.all([app.api.account(address), app.api.abi(address).catch(() => null)]);
  const c = account.contract;
  const rows: Array<[string, Node | string | null]> = [
    ['Address', copyable(account.address)],
    ['Balance', h('span', { id: 'account-balance' }, num(account.balance))],
    ['Nonce', num(account.nonce)],
  ];
  if (c) {
    rows.push(
      ['Status', badge(c.status)],
      ['Code hash', h('span', { class: 'mono', id: 'code-hash' }, c.code_hash)],
      ['Deployer', addressLink(c.deployer, true)],
      ['Admin', c.admin ? addressLink(c.admin, true) : h('span', { class: 'muted' }, 'none (immutable)')],
      ['Created in block', blockLink(c.created_at)],
    );
  }
  rows.push(['Read at block', blockLink(account.height)]);

  replace(
    root,
    h('h1', null, c ? 'Contract' : 'Account', h('span', { class: 'mono title-hash' }, account.address)),
    section('Overview', kv(rows), 'account-overview'),
    c && abi ? methodsSection(app, account.address, abi) : null,
    c && !abi ? section('Methods', h('p', { class: 'empty' }, 'The deploy carried no ABI.')) : null,
    c ? await eventsSection(app, account.address, Number(account.height)) : null,
  );
  void page;
}

function methodsSection(app: App, address: string, abi: Abi): HTMLElement {
  // Views first: they are what a read-only call is for.
  const codec = new AbiCodec(abi);
  const methods = [...abi.methods].sort((a, b) => Number(b.readonly) - Number(a.readonly));
  return section(
    `Methods (${methods.length})`,
    h(
      'div',
      { class: 'methods' },
      h('p', { class: 'note' }, 'Every method runs here as a read-only call at the head block: nothing is signed or committed, and a method that writes shows what it would return.'),
      methods.map((m) => methodForm(app, codec, address, m)),
    ),
    'contract-methods',
  );
}

function methodForm(app: App, codec: AbiCodec, address: string, m: AbiMethod): HTMLElement {
  const params = formParams(m);
  const inputs = params.map((p) => inputFor(m, p));
  const output = h('div', { class: 'call-output', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Call');
  const from = h('input', { type: 'text', name: '__from', placeholder: 'caller (optional): 0x + 40 hex digits', autocomplete: 'off', spellcheck: 'false' });
  const form = h(
    'form',
    { class: 'method', 'data-method': m.name },
    h('div', { class: 'method-head' }, h('code', { class: 'sig' }, signature(m)), m.readonly ? h('span', { class: 'tag view' }, 'view') : h('span', { class: 'tag write' }, 'writes'), (m as { payable?: boolean }).payable ? h('span', { class: 'tag payable' }, 'payable') : null),
    params.length
      ? h('div', { class: 'fields' }, params.map((p, i) => h('label', null, h('span', { class: 'field-name' }, p.name, h('span', { class: 'muted' }, ` ${p.type}`)), inputs[i])))
      : null,
    m.readonly ? null : h('label', { class: 'from' }, h('span', { class: 'field-name' }, 'from'), from),
    h('div', { class: 'actions' }, button),
    output,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    for (const el of inputs) el.classList.remove('invalid');
    let args;
    try {
      args = readArgs(codec, m, inputs.map((el) => el.value));
      if (from.value.trim() && !/^0x[0-9a-fA-F]{40}$/.test(from.value.trim())) throw new ArgError(null, 'from: expected 0x followed by 40 hex digits');
    } catch (e) {
      if (!(e instanceof ArgError)) throw e;
      const i = params.findIndex((p) => p.name === e.param);
      if (i >= 0) inputs[i].classList.add('invalid');
      replace(output, h('div', { class: 'call-error' }, e.message));
      return;
    }
    button.disabled = true;
    replace(output, h('div', { class: 'muted' }, 'calling…'));
    try {
      const r = await app.api.call({ to: address, method: m.name, args, ...(from.value.trim() ? { from: from.value.trim().toLowerCase() } : {}) });
      replace(output, callResult(r));
    } catch (e) {
      replace(output, h('div', { class: 'call-error' }, (e as Error).message));
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

function callResult(r: CallOutcome): HTMLElement {
  return h(
    'div',
    { class: `call-result ${r.status}` },
    h('div', { class: 'result-head' }, badge(r.status), h('span', { class: 'muted' }, ` gas ${num(r.gas_used)} · at block `, blockLink(r.height))),
    r.status === 'ok' ? h('pre', { class: 'json result-value' }, json(r.result)) : null,
    r.error ? h('div', { class: 'error-text' }, r.error) : null,
    r.events.length ? h('div', { class: 'muted small' }, `would emit: ${r.events.map((e) => e.name).join(', ')}`) : null,
  );
}

async function eventsSection(app: App, address: string, head: number): Promise<HTMLElement> {
  const fromHeight = Math.max(0, head - EVENT_WINDOW + 1);
  // Pages come oldest first: follow the cursor (a bounded number of pages)
  // and keep the most recent events.
  let events: IndexedEvent[] = [];
  let more = false;
  try {
    let cursor: Json = null;
    for (let n = 0; n < 10; n++) {
      const page = await app.api.events({ fromHeight, toHeight: head, contract: address, limit: 1000, cursor: cursor ?? undefined });
      events = events.concat(page.events).slice(-EVENTS_SHOWN);
      cursor = page.cursor;
      if (cursor === null || cursor === undefined) break;
      more = n === 9;
    }
  } catch (e) {
    return section('Latest events', h('p', { class: 'call-error' }, (e as Error).message));
  }
  events.reverse();
  const title = `Latest events${events.length ? ` (${events.length}${more ? ' of the first 10,000' : ''})` : ''}`;
  if (events.length === 0) return section(title, h('p', { class: 'empty' }, `No events in blocks ${num(fromHeight)} to ${num(head)}.`), 'contract-events');
  return section(
    title,
    h(
      'table',
      { class: 'list events' },
      h('thead', null, h('tr', null, h('th', null, 'Block'), h('th', null, 'Transaction'), h('th', null, 'Name'), h('th', null, 'Data'))),
      h(
        'tbody',
        null,
        events.map((e) => h('tr', null, h('td', null, blockLink(e.height)), h('td', null, txLink(e.tx_hash)), h('td', null, h('span', { class: 'event-name' }, e.name)), h('td', null, h('pre', { class: 'json inline' }, json(e.data))))),
      ),
    ),
    'contract-events',
  );
}
