// The explorer page: a header with the chain and a search box, and one page
// per route: #/ (latest blocks and transactions, live), #/block/HEIGHT|HASH,
// #/tx/HASH, #/address/ADDRESS. The node is the one that served the page,
// or ?node=URL.
import './style.css';
import { Live, Page, type App } from './app';
import { h, replace } from './dom';
import { NodeApi } from './node';
import { addressView } from './views/address';
import { blockView } from './views/block';
import { homeView } from './views/home';
import { resolveSearch } from './views/search';
import { txView } from './views/tx';

function nodeUrl(): string {
  const given = new URLSearchParams(location.search).get('node');
  if (given) return given;
  return location.protocol === 'http:' || location.protocol === 'https:' ? location.origin : 'http://127.0.0.1:8645';
}

const app: App = { api: new NodeApi(nodeUrl()), live: new Live() };
const main = document.getElementById('main')!;
const searchForm = document.getElementById('search') as HTMLFormElement;
const searchInput = document.getElementById('search-input') as HTMLInputElement;
const searchError = document.getElementById('search-error')!;
const liveDot = document.getElementById('live')!;
const chainName = document.getElementById('chain')!;
const headHeight = document.getElementById('head')!;
let page = new Page();

async function route(): Promise<void> {
  page.leave();
  const current = (page = new Page());
  const path = location.hash.replace(/^#\/?/, '');
  const [kind, arg = ''] = path.split('/');
  searchError.textContent = '';
  document.querySelectorAll('nav.top a').forEach((a) => a.classList.toggle('active', a.getAttribute('href') === `#/${kind}` || (kind === '' && a.getAttribute('href') === '#/')));
  replace(main, h('div', { class: 'loading' }, 'Loading…'));
  // Each page renders into its own element, shown once it is ready and only
  // if no newer page was asked for meanwhile.
  const root = h('div', { class: 'page' });
  try {
    if (kind === '' || kind === 'blocks') await homeView(app, root, current);
    else if (kind === 'block') await blockView(app, root, current, decodeURIComponent(arg));
    else if (kind === 'tx') await txView(app, root, current, decodeURIComponent(arg));
    else if (kind === 'address') await addressView(app, root, current, decodeURIComponent(arg));
    else replace(root, h('section', { class: 'card notice' }, h('h2', null, 'Unknown page'), h('p', null, h('a', { href: '#/' }, '← Latest blocks'))));
    document.title = `${titleOf(kind, arg)} · Ward explorer`;
  } catch (e) {
    replace(
      root,
      h('section', { class: 'card notice error' }, h('h2', null, 'Cannot show this page'), h('p', { class: 'error-text' }, (e as Error).message), h('p', { class: 'muted' }, `node: ${app.api.url}`)),
    );
  }
  if (current.left) return;
  replace(main, root);
  window.scrollTo(0, 0);
}

function titleOf(kind: string, arg: string): string {
  if (kind === 'block') return `Block ${arg.length > 20 ? arg.slice(0, 10) + '…' : arg}`;
  if (kind === 'tx') return `Transaction ${arg.slice(0, 10)}…`;
  if (kind === 'address') return `Address ${arg.slice(0, 10)}…`;
  return 'Latest blocks';
}

searchForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  searchError.textContent = '';
  try {
    const target = await resolveSearch(app, searchInput.value);
    if ('error' in target) searchError.textContent = target.error;
    else {
      searchInput.value = '';
      if (location.hash === target.route) void route();
      else location.hash = target.route;
    }
  } catch (e) {
    searchError.textContent = (e as Error).message;
  }
});

app.live.onStatus = (s, why) => {
  const was = liveDot.dataset.status;
  liveDot.dataset.status = s;
  liveDot.title = s === 'live' ? 'receiving new blocks over the WebSocket' : s === 'offline' ? `disconnected: ${why ?? ''}; retrying` : 'connecting…';
  liveDot.lastChild!.textContent = s === 'live' ? 'live' : s === 'offline' ? 'offline' : 'connecting';
  // Blocks committed while disconnected were not seen: show the page afresh.
  if (s === 'live' && was === 'offline') void route();
};
app.live.onAnyHead = (head) => showHead(head.height);

let shownHead = -1;
/** The head height in the header; never goes back (answers may arrive out of order). */
function showHead(height: number): void {
  if (height < shownHead) return;
  shownHead = height;
  headHeight.textContent = `#${height}`;
  (headHeight as HTMLAnchorElement).href = `#/block/${height}`;
}

window.addEventListener('hashchange', () => void route());
void app.api.chainInfo().then(
  (i) => {
    chainName.textContent = i.chain_id;
    showHead(i.head_height);
  },
  () => {},
);
app.api.follow(app.live);
void route();
