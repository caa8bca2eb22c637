// The explorer in headless Chromium against a real node:
//   node test/browser.test.mjs --ward PATH/TO/ward --out BUILD_DIR/explorer
// builds the page (Vite) into OUT/dist, starts `ward node --dev --explorer
// OUT/dist` on a free loopback port, opens the page, deploys the example
// token and transfers with the ward CLI, and checks that the new blocks and
// transactions appear live, that the block, transaction and contract pages
// show them, that the search box finds them and that a read-only call from
// a method form answers the right balance. Screenshots go to OUT/*.png.
// Exit 77 (CTest: skipped) only when Chromium is not installed.
import { spawn, execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import assert from 'node:assert/strict';
import { test } from 'node:test';

const here = dirname(fileURLToPath(import.meta.url));
const explorerDir = resolve(here, '..');
const repo = resolve(explorerDir, '..');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];
// A test-only seed for the node's dev key, and a second address.
const SEED = '1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100';
const BOB = '0x0000000000000000000000000000000000000b0b';

function arg(name) {
  const i = process.argv.indexOf(name);
  if (i < 0 || i + 1 >= process.argv.length) {
    console.error(`usage: node test/browser.test.mjs --ward WARD --out DIR (missing ${name})`);
    process.exit(2);
  }
  return resolve(process.argv[i + 1]);
}
const ward = arg('--ward');
const out = arg('--out');

if (!existsSync(CHROMIUM)) {
  console.log(`SKIP: explorer_browser needs Debian's chromium at ${CHROMIUM} (scripts/install-deps installs it from scripts/deps/explorer.list)`);
  process.exit(77);
}
if (!existsSync(join(explorerDir, 'node_modules', 'playwright-core'))) {
  console.error('explorer/node_modules is missing: run scripts/install-deps (npm ci in explorer/)');
  process.exit(1);
}

const run = promisify(execFile);
/** Runs the ward CLI; returns its stdout parsed as JSON when `json`. */
async function wardCli(args, { json = false } = {}) {
  try {
    const { stdout } = await run(ward, args, { timeout: 120_000, maxBuffer: 16 << 20 });
    return json ? JSON.parse(stdout) : stdout;
  } catch (e) {
    throw new Error(`ward ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

/** Newest mtime of the files under `dir` (ms). */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds sdk/js when its dist is missing or older than its sources, then the page into OUT/dist. */
async function buildPage() {
  const sdk = join(repo, 'sdk', 'js');
  const entry = join(sdk, 'dist', 'src', 'index.js');
  if (!existsSync(entry) || statSync(entry).mtimeMs < newest(join(sdk, 'src'))) {
    console.log('# building sdk/js (tsc)');
    await run('npm', ['run', 'build'], { cwd: sdk, timeout: 300_000 });
  }
  console.log(`# building the page into ${join(out, 'dist')} (vite)`);
  const { build } = await import(join(explorerDir, 'node_modules', 'vite', 'dist', 'node', 'index.js'));
  await build({ root: explorerDir, logLevel: 'warn', build: { outDir: join(out, 'dist'), emptyOutDir: true } });
}

/** Starts `ward node --dev` with the explorer; resolves to {url, stop, log}. */
async function startNode(work, dist) {
  const keys = join(work, 'keys');
  await wardCli(['keys', 'import', 'dev', '--seed', SEED, '--insecure-plaintext', '--keystore', keys]);
  const child = spawn(ward, ['node', '--dev', '--data', join(work, 'data'), '--keystore', keys, '--rpc', '127.0.0.1:0', '--explorer', dist], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise((r) => child.on('exit', (code, sig) => r(code ?? sig)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(t);
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    const m = /rpc listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
    if (m) return { url: m[1], stop, log: () => log, keys };
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the node did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('explorer in headless Chromium against ward node --dev', { timeout: 600_000 }, async (t) => {
  mkdirSync(out, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'ward-explorer-'));
  let node = null;
  let browser = null;
  let page = null;
  const consoleErrors = [];
  try {
    await t.test('a folder without the page is refused with a clear error', async () => {
      const bad = join(work, 'no-page');
      mkdirSync(bad);
      const r = await run(ward, ['node', '--dev', '--data', join(work, 'unused'), '--keystore', join(work, 'unused-keys'), '--rpc', '127.0.0.1:0', '--explorer', bad], { timeout: 30_000 }).then(
        () => null,
        (e) => e,
      );
      assert.ok(r, 'the node started without an index.html');
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--explorer '.*no-page': no index\.html in it \(build the page first/);
      assert.ok(!existsSync(join(work, 'unused')), 'the chain folder was created before the check');
    });

    await buildPage();
    const dist = join(out, 'dist');
    node = await startNode(work, dist);
    const url = node.url;
    console.log(`# node at ${url}`);

    await t.test('the node serves the built files', async () => {
      const index = await fetch(`${url}/`);
      assert.equal(index.status, 200);
      assert.match(index.headers.get('content-type'), /^text\/html/);
      const html = await index.text();
      assert.equal(html, readFileSync(join(dist, 'index.html'), 'utf8'));
      const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html);
      assert.ok(script, 'index.html names its script');
      const js = await fetch(`${url}/${script[1]}`);
      assert.equal(js.status, 200);
      assert.match(js.headers.get('content-type'), /^text\/javascript/);
      assert.equal((await fetch(`${url}/no-such-file.js`)).status, 404);
      // JSON-RPC still answers on the same port.
      const rpc = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"ward_chainInfo"}' });
      assert.equal((await rpc.json()).result.chain_id, 'ward-dev');
    });

    console.log('# building examples/token');
    const wasm = join(work, 'token.wasm');
    await wardCli(['build', join(repo, 'examples', 'token', 'token.cpp'), '-o', wasm]);

    const { chromium } = await import(join(explorerDir, 'node_modules', 'playwright-core', 'index.mjs'));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, timeout: 60_000 });
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    page.setDefaultTimeout(30_000);
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(String(e)));

    await page.goto(`${url}/`);
    await page.waitForSelector('#latest-blocks tr[data-height="0"]');
    await page.waitForSelector('#live[data-status="live"]');
    assert.equal(await page.textContent('#chain-id'), 'ward-dev');

    // Transactions sent while the page is open: they must appear live.
    const common = ['--node', url, '--key', 'dev', '--keystore', node.keys, '--json'];
    const deploy = await wardCli(['deploy', wasm, '--init', 'Initialize', '--args', '{"total_supply": 1000000}', ...common], { json: true });
    assert.equal(deploy.status, 'ok', JSON.stringify(deploy));
    const token = deploy.address;
    const transfer = await wardCli(['call', token, 'Transfer', JSON.stringify({ to: BOB, amount: 1000 }), ...common], { json: true });
    assert.equal(transfer.status, 'ok', JSON.stringify(transfer));
    console.log(`# token ${token} deployed in block ${deploy.height}; transfer ${transfer.tx_hash} in block ${transfer.height}`);

    await t.test('new blocks and transactions appear live on the front page', async () => {
      await page.waitForSelector(`#latest-blocks tr[data-height="${deploy.height}"]`);
      await page.waitForSelector(`#latest-blocks tr[data-height="${transfer.height}"]`);
      await page.waitForSelector(`#latest-txs tr[data-tx="${deploy.tx_hash}"]`);
      const row = await page.waitForSelector(`#latest-txs tr[data-tx="${transfer.tx_hash}"]`);
      assert.match(await row.textContent(), /Transfer/);
      assert.equal(await page.textContent('#head'), `#${transfer.height}`);
      await page.waitForTimeout(2600); // the highlight of fresh rows fades
      const shot = join(out, 'explorer-home.png');
      await page.screenshot({ path: shot, fullPage: true });
      console.log(`# screenshot: ${shot}`);
    });

    await t.test('the block page lists the transaction', async () => {
      await page.click(`#latest-blocks tr[data-height="${transfer.height}"] td:first-child a`);
      await page.waitForSelector(`#block-txs tr[data-tx="${transfer.tx_hash}"]`);
      assert.equal(await page.textContent('#block-height'), `#${transfer.height}`);
      assert.match(await page.textContent(`#block-txs tr[data-tx="${transfer.tx_hash}"]`), /ok/);
    });

    await t.test('the transaction page shows the receipt, the events and the call', async () => {
      await page.click(`#block-txs tr[data-tx="${transfer.tx_hash}"] a[href^="#/tx/"]`);
      await page.waitForSelector('#tx-receipt');
      assert.match(await page.textContent('#tx-overview'), new RegExp(transfer.tx_hash));
      assert.match(await page.textContent('#tx-receipt'), /ok/);
      assert.equal(await page.textContent('#tx-result'), 'true');
      const events = await page.textContent('#tx-events');
      assert.match(events, /Transfer/);
      assert.match(events, new RegExp(BOB.slice(2)));
      assert.match(await page.textContent('#tx-trace'), /Transfer/);
      const shot = join(out, 'explorer-tx.png');
      await page.screenshot({ path: shot, fullPage: true });
      console.log(`# screenshot: ${shot}`);
    });

    await t.test('search finds a block height, a transaction hash and an address', async () => {
      await page.fill('#search-input', String(deploy.height));
      await page.press('#search-input', 'Enter');
      await page.waitForFunction((h) => document.querySelector('#block-height')?.textContent === `#${h}`, deploy.height);
      await page.fill('#search-input', deploy.tx_hash);
      await page.press('#search-input', 'Enter');
      await page.waitForFunction((h) => location.hash === `#/tx/${h}`, deploy.tx_hash);
      await page.waitForSelector('#tx-receipt');
      await page.fill('#search-input', '0x1234');
      await page.press('#search-input', 'Enter');
      await page.waitForFunction(() => /has 4 hex digits/.test(document.querySelector('#search-error')?.textContent ?? ''));
      await page.fill('#search-input', token.toUpperCase().replace('0X', '0x'));
      await page.press('#search-input', 'Enter');
      await page.waitForSelector('#contract-methods');
    });

    await t.test('the contract page runs a read-only call from its form', async () => {
      assert.match(await page.textContent('#account-overview'), /Contract|Code hash/);
      assert.equal(await page.textContent('#code-hash'), deploy.code_hash);
      const form = page.locator('form[data-method="GetBalance"]');
      await form.locator('input[name="owner"]').fill('0x12');
      await form.locator('button[type="submit"]').click();
      await form.locator('.call-error').waitFor();
      assert.match(await form.locator('.call-error').textContent(), /argument 'owner': expected address \(0x \+ 40 hex digits\)/);
      await form.locator('input[name="owner"]').fill(BOB);
      await form.locator('button[type="submit"]').click();
      await form.locator('.result-value').waitFor();
      assert.equal(await form.locator('.result-value').textContent(), '1000');
      const supply = page.locator('form[data-method="TotalSupply"]');
      await supply.locator('button[type="submit"]').click();
      await supply.locator('.result-value').waitFor();
      assert.equal(await supply.locator('.result-value').textContent(), '1000000');
      assert.match(await page.textContent('#contract-events'), /Transfer/);
      const shot = join(out, 'explorer-contract.png');
      await page.screenshot({ path: shot, fullPage: true });
      console.log(`# screenshot: ${shot}`);
    });

    assert.deepEqual(consoleErrors, [], 'the page logged errors');
  } finally {
    await page?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await node?.stop();
    rmSync(work, { recursive: true, force: true });
  }
});
