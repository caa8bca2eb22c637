// End-to-end: a real `ward node --dev` (WARD_BIN) on a free loopback port,
// the example token built by `ward build`, and every part of the SDK
// against the node's real answers. The node is always stopped.
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  AbiError,
  CallFailedError,
  Contract,
  Ed25519Signer,
  RpcError,
  TransportError,
  TxFailedError,
  TxRejectedError,
  TxTimeoutError,
  Wallet,
  WardProvider,
  asAddress,
  balanceKey,
  contractAddress,
  getVerifiedState,
  readU64be,
  signTransaction,
  verifyProof,
  fromHex,
  type Address,
  type BlockHeader,
  type IndexedEvent,
  type ObjectId,
} from "../src/index.js";

const WARD = process.env.WARD_BIN;
const pkg = fileURLToPath(new URL("../../", import.meta.url)); // sdk/js/
const repo = fileURLToPath(new URL("../../../../", import.meta.url));
// The node's dev key, imported from a fixed test-only seed.
const DEV_SEED = "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, f: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe("against a real node", { skip: WARD ? false : "WARD_BIN is not set (CTest sets it to the ward binary)" }, () => {
  let work = "";
  let node: ChildProcess | null = null;
  let log = "";
  let url = "";
  let provider: WardProvider;
  let dev: Wallet;
  let wasm: Uint8Array;
  let abiText = "";
  let token: Contract;
  const alice = Ed25519Signer.random();

  const killNode = () => {
    if (node && node.exitCode === null && node.signalCode === null) node.kill("SIGKILL");
  };
  process.on("exit", killNode);

  before(async () => {
    work = mkdtempSync(join(tmpdir(), "ward-sdk-js-"));
    const run = (args: string[]) => {
      const r = spawnSync(WARD!, args, { cwd: work, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`ward ${args.join(" ")} failed (${r.status}): ${r.stderr}${r.stdout}`);
      return r.stdout;
    };
    run(["build", join(repo, "examples/token/token.cpp"), "-o", join(work, "token.wasm")]);
    wasm = new Uint8Array(readFileSync(join(work, "token.wasm")));
    abiText = readFileSync(join(work, "token.abi.json"), "utf8");
    run(["keys", "import", "dev", "--seed", DEV_SEED, "--insecure-plaintext", "--keystore", join(work, "keys")]);
    // Port 0: the node picks a free loopback port and logs it.
    node = spawn(WARD!, ["node", "--dev", "--data", join(work, "data"), "--keystore", join(work, "keys"), "--rpc", "127.0.0.1:0"], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    node.stderr!.setEncoding("utf8");
    node.stderr!.on("data", (d: string) => (log += d));
    const port = await until(
      "the node's rpc line",
      () => {
        if (node!.exitCode !== null) throw new Error(`the node exited: ${log}`);
        return /rpc listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(log)?.[1];
      },
      30_000,
    );
    url = `http://127.0.0.1:${port}`;
    provider = new WardProvider({ url, pollIntervalMs: 50 });
    dev = new Wallet(provider, Ed25519Signer.fromSeed(DEV_SEED));
  });

  after(async () => {
    provider?.close();
    if (node && node.exitCode === null && node.signalCode === null) {
      const exited = new Promise((r) => node!.once("exit", r));
      node.kill("SIGTERM");
      await Promise.race([exited, sleep(10_000)]);
      killNode();
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("reads the chain: chainInfo, getBlock, getAccount, getNonce", async () => {
    const info = await provider.chainInfo();
    assert.equal(info.chain_id, "ward-dev");
    assert.equal(info.producer, dev.address);
    assert.equal(typeof info.min_gas_price, "bigint");
    const block = await provider.getBlock("latest");
    assert.ok(block);
    assert.equal(block.height, info.head_height);
    const genesis = await provider.getBlock(0);
    assert.equal(genesis?.hash, info.genesis_hash);
    assert.equal((await provider.getBlock({ hash: info.genesis_hash }))?.height, 0);
    assert.equal(await provider.getBlock(1_000_000), null);
    const acct = await provider.getAccount(dev.address);
    assert.equal(acct.balance, 10n ** 15n);
    assert.equal(await provider.getNonce(dev.address), 0n);
    assert.equal(await provider.getBalance(alice.address), 0n);
  });

  it("transfers native value; the hash is known before sending", async () => {
    const before = await dev.getBalance();
    const r = await dev.transfer(alice.address, 5_000_000n);
    assert.ok(r.receipt);
    assert.equal(r.receipt.status, "ok");
    assert.equal(r.receipt.tx_hash, r.txHash);
    assert.equal(r.receipt.kind, "transfer");
    assert.equal(r.receipt.gas_used, 2000);
    assert.equal(await provider.getBalance(alice.address), 5_000_000n);
    assert.equal(await dev.getBalance(), before - 5_000_000n - r.receipt.fee + r.receipt.fee); // dev is also the producer: it gets the fee back
    const tx = await provider.getTransaction(r.txHash);
    assert.ok(tx && !tx.pending && "nonce" in tx);
    assert.equal(tx.hash, r.txHash);
    assert.equal(tx.receipt?.status, "ok");
    assert.deepEqual(await provider.getReceipt(r.txHash), r.receipt);
  });

  it("deploys the example token with its ABI and reads it", async () => {
    const nonce = await provider.getNonce(dev.address);
    const d = await dev.deploy(wasm, { init: "Initialize", args: { total_supply: 1_000_000n }, abi: abiText });
    assert.equal(d.receipt?.status, "ok");
    assert.equal(d.address, contractAddress(dev.address, nonce));
    assert.ok(d.contract);
    token = d.contract;
    assert.equal(await token.view.TotalSupply!(), 1_000_000n);
    assert.equal(await token.view.GetBalance!({ owner: dev.address }), 1_000_000n);
    assert.deepEqual(await provider.getAbi(d.address), JSON.parse(abiText));
    const fromNode = await Contract.fromNode(provider, d.address);
    assert.equal(await fromNode.view.GetBalance!([dev.address]), 1_000_000n);
    const acct = await provider.getAccount(d.address);
    assert.equal(acct.contract?.deployer, dev.address);
  });

  it("subscribes to events and new heads; close() ends them", async () => {
    const events: IndexedEvent[] = [];
    const heads: BlockHeader[] = [];
    const sub = await provider.subscribe({ events: { contract: token.address, name: "Transfer" } }, (e) => events.push(e));
    const headSub = await provider.subscribe({ newHeads: true }, (h) => heads.push(h));
    const r = await token.call.Transfer!({ to: alice.address, amount: 1_000n });
    assert.equal(r.result, true);
    const e = await until("the Transfer event", () => events[0]);
    assert.equal(e.name, "Transfer");
    assert.equal(e.contract, token.address);
    assert.equal(e.tx_hash, r.txHash);
    assert.equal(e.height, r.receipt!.height);
    assert.deepEqual(e.data, { from: dev.address, to: alice.address, amount: 1000 });
    const h = await until("the new head", () => heads.find((x) => x.height === r.receipt!.height));
    assert.match(h.hash, /^0x[0-9a-f]{64}$/);
    await sub.close();
    await headSub.close();
    const seen = events.length;
    await token.call.Transfer!({ to: alice.address, amount: 1n });
    await sleep(200);
    assert.equal(events.length, seen, "no event after close()");
    assert.equal(await token.view.GetBalance!({ owner: alice.address }), 1_001n);
  });

  it("reads objects: AccountOf gives an object id, null for a holder without one", async () => {
    const id = (await token.view.AccountOf!({ owner: alice.address })) as ObjectId;
    assert.match(id, /^0x[0-9a-f]{64}$/);
    assert.equal(await token.view.AccountOf!({ owner: Ed25519Signer.random().address }), null);
    const obj = await provider.getObject(id);
    assert.equal(obj?.contract, token.address);
    assert.equal(obj?.owner, token.address);
    assert.ok(obj && "balance" in obj.fields && "holder" in obj.fields, JSON.stringify(obj));
  });

  it("sends 100 transactions concurrently from one wallet: all included, nonces consecutive", async (t) => {
    const sender = new Wallet(provider, Ed25519Signer.random());
    await dev.transfer(sender.address, 10_000_000n);
    const to = Ed25519Signer.random().address;
    const t0 = Date.now();
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => sender.transfer(to, BigInt(i + 1))));
    const ms = Date.now() - t0;
    const nonces = results.map((r) => r.nonce).sort((a, b) => (a < b ? -1 : 1));
    assert.deepEqual(nonces, Array.from({ length: 100 }, (_, i) => BigInt(i)));
    for (const r of results) assert.equal(r.receipt?.status, "ok");
    assert.equal(new Set(results.map((r) => r.txHash)).size, 100);
    assert.equal(await provider.getNonce(sender.address), 100n);
    assert.equal(await provider.getBalance(to), 5050n);
    const blocks = new Set(results.map((r) => r.receipt!.height));
    t.diagnostic(`100 concurrent transfers from one wallet: ${ms} ms, ${blocks.size} blocks`);
  });

  it("errors: RpcError with the node's code and data", async () => {
    await assert.rejects(provider.request("ward_nope", []), (e: unknown) => {
      assert.ok(e instanceof RpcError);
      assert.equal(e.code, -32601);
      assert.match(e.message, /method "ward_nope" not found/);
      return true;
    });
    await assert.rejects(provider.request("ward_getNonce", ["0x12"]), (e: unknown) => e instanceof RpcError && e.code === -32602);
    await assert.rejects(provider.request("ward_subscribe", ["newHeads"]), (e: unknown) => {
      assert.ok(e instanceof RpcError);
      assert.equal(e.code, -32000);
      assert.deepEqual(e.data, { kind: "websocket_only" });
      return true;
    });
    await assert.rejects(provider.subscribe({ events: { name: 5 as unknown as string } }, () => {}), (e: unknown) => e instanceof RpcError && e.code === -32602);
    await assert.rejects(new WardProvider({ url: "http://127.0.0.1:1" }).chainInfo(), TransportError);
  });

  it("errors: TxRejectedError with the reason and the hash", async () => {
    const poor = new Wallet(provider, Ed25519Signer.random());
    await assert.rejects(poor.transfer(alice.address, 1n), (e: unknown) => {
      assert.ok(e instanceof TxRejectedError);
      assert.equal(e.reason, "insufficient_balance");
      assert.equal(e.code, -32001);
      assert.match(e.txHash ?? "", /^0x[0-9a-f]{64}$/);
      return true;
    });
    // The refused nonce is handed out again.
    assert.equal(await poor.nonces.acquire(), 0n);
    // A signature of other bytes, and a transaction for another chain.
    const nonce = await provider.getNonce(dev.address);
    const stx = await dev.sign({ type: "transfer", to: alice.address, amount: 1n }, { nonce });
    const bad = stx.signedBytes.slice();
    bad[bad.length - 1]! ^= 1;
    await assert.rejects(provider.sendRawTransaction(bad), (e: unknown) => e instanceof TxRejectedError && e.reason === "bad_signature" && e.txHash === stx.hash);
    const other = await signTransaction({ ...stx.tx, chainId: "other-chain" }, dev.signer);
    await assert.rejects(provider.sendRawTransaction(other.signedBytes), (e: unknown) => e instanceof TxRejectedError && e.reason === "wrong_chain");
  });

  it("errors: a nonce taken by another client resyncs and retries once", async () => {
    const signer = Ed25519Signer.random();
    await dev.transfer(signer.address, 1_000_000n);
    const w1 = new Wallet(provider, signer);
    const w2 = new Wallet(provider, signer);
    assert.equal((await w1.transfer(alice.address, 1n)).nonce, 0n);
    assert.equal((await w2.transfer(alice.address, 1n)).nonce, 1n); // w1 still believes 1 is next
    const r = await w1.transfer(alice.address, 1n);
    assert.equal(r.nonce, 2n);
    assert.equal(r.receipt?.status, "ok");
  });

  it("errors: TxFailedError carries the receipt; the nonce is used and the fee paid", async () => {
    const bob = new Wallet(provider, Ed25519Signer.random());
    await dev.transfer(bob.address, 50_000_000n);
    const bobToken = token.connect(bob);
    await assert.rejects(bobToken.call.Transfer!({ to: alice.address, amount: 5n }), (e: unknown) => {
      assert.ok(e instanceof TxFailedError);
      assert.equal(e.receipt.status, "reverted");
      assert.match(e.receipt.error ?? "", /insufficient balance/);
      assert.ok(e.receipt.fee > 0n);
      assert.equal(e.receipt.tx_hash, e.txHash);
      return true;
    });
    assert.equal(await provider.getNonce(bob.address), 1n);
    // simulate: the dry run of the same call fails the same way; a good one gives the result.
    await assert.rejects(bobToken.simulate.Transfer!({ to: alice.address, amount: 5n }), (e: unknown) => e instanceof TxFailedError && e.receipt.status === "reverted");
    const sim = await token.simulate.Transfer!({ to: alice.address, amount: 5n });
    assert.equal(sim.result, true);
    assert.ok(sim.gasUsed > 0);
    // Value for a method the ABI marks not payable: refused before sending
    // when the ABI says so; the node refuses it too.
    const abi = JSON.parse(abiText);
    if (abi.methods.some((m: { payable?: boolean }) => m.payable === false)) {
      await assert.rejects(token.call.Transfer!({ to: alice.address, amount: 1n }, { value: 5n }), AbiError);
      await assert.rejects(
        dev.send({ type: "call", contract: token.address, method: "Transfer", args: JSON.stringify({ to: alice.address, amount: 1 }), value: 5n }),
        (e: unknown) => e instanceof TxFailedError && /not payable/.test(e.receipt.error ?? ""),
      );
    }
    // A view out of gas.
    await assert.rejects(token.view.GetBalance!({ owner: alice.address }, { gas: 1 }), (e: unknown) => e instanceof CallFailedError && e.status === "trapped");
  });

  it("errors: TxTimeoutError carries the hash; the transaction is included later", async () => {
    const w = new Wallet(provider, Ed25519Signer.random());
    await dev.transfer(w.address, 1_000_000n);
    // Nonce 1 while 0 is unused: admitted, but not included until 0 is.
    const gap = await w.sign({ type: "transfer", to: alice.address, amount: 7n }, { nonce: 1n, gasLimit: 2000n });
    await assert.rejects(provider.sendRawTransaction(gap.signedBytes, { waitUntil: "included", timeoutMs: 300 }), (e: unknown) => {
      assert.ok(e instanceof TxTimeoutError);
      assert.equal(e.txHash, gap.hash);
      return true;
    });
    await assert.rejects(provider.waitForReceipt(gap.hash, { timeoutMs: 300 }), (e: unknown) => e instanceof TxTimeoutError && e.txHash === gap.hash);
    const pending = await provider.getTransaction(gap.hash);
    assert.deepEqual(pending, { hash: gap.hash, pending: true });
    // The wallet's own wait: nonce 2 cannot be sent in time either (nonce 0 is still missing).
    const w2 = new Wallet(provider, w.signer, { maxNonceAhead: 0 });
    await w2.nonces.resync();
    await w2.nonces.acquire(); // 0
    await w2.nonces.acquire(); // 1
    await assert.rejects(w2.transfer(alice.address, 1n, { timeoutMs: 300 }), (e: unknown) => e instanceof TxTimeoutError && /^0x[0-9a-f]{64}$/.test(e.txHash));
    // Filling the gap includes both.
    assert.equal((await w.transfer(alice.address, 1n)).nonce, 0n);
    const receipt = await provider.waitForReceipt(gap.hash, { timeoutMs: 10_000 });
    assert.equal(receipt.status, "ok");
  });

  it("verifies ward_getProof proofs in JS against the block header's state root", async () => {
    const present = await getVerifiedState(provider, balanceKey(alice.address));
    assert.ok(present.value);
    assert.equal(readU64be(present.value), await provider.getBalance(alice.address));
    const nobody = Ed25519Signer.random().address;
    const absent = await getVerifiedState(provider, balanceKey(nobody));
    assert.equal(absent.value, null);
    // A proof does not verify for another value, or against another root.
    const p = await provider.getProof(balanceKey(alice.address));
    assert.ok(verifyProof(p.state_root, balanceKey(alice.address), p.value, p.proof));
    const wrong = fromHex(p.value!).slice();
    wrong[7]! ^= 1;
    assert.equal(verifyProof(p.state_root, balanceKey(alice.address), wrong, p.proof), false);
    assert.equal(verifyProof(p.state_root, balanceKey(alice.address), null, p.proof), false);
    const genesis = await provider.getBlock(0);
    assert.equal(verifyProof(genesis!.state_root, balanceKey(alice.address), p.value, p.proof), false);
  });

  it("runs a ward-codegen client against the node", async () => {
    const dir = join(pkg, "dist", "codegen-e2e");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "token.abi.json"), abiText);
    const gen = spawnSync(process.execPath, [join(pkg, "dist/src/codegen/cli.js"), join(dir, "token.abi.json"), "-o", join(dir, "token.ts"), "--import", "../src/index.js"], { encoding: "utf8" });
    assert.equal(gen.status, 0, gen.stderr);
    // An ABI with every kind of type: structs, arrays, optionals, bytes, hashes, raw methods.
    const rich = {
      abi_version: 1,
      methods: [
        { name: "Open", params: [{ name: "deal", type: "Deal" }, { name: "tags", type: "string[]" }, { name: "memo", type: "bytes?" }], returns: "Deal[]", readonly: false },
        { name: "Find", params: [{ name: "id", type: "hash" }, { name: "limit", type: "u32?" }], returns: "Deal?", readonly: true },
        { name: "Reset", raw: true, readonly: false },
        { name: "constructor", params: [], returns: null, readonly: false },
      ],
      types: [{ name: "Deal", fields: [{ name: "buyer", type: "address" }, { name: "price", type: "i64" }, { name: "item", type: "object_id?" }] }],
    };
    writeFileSync(join(dir, "rich.abi.json"), JSON.stringify(rich));
    const gen2 = spawnSync(process.execPath, [join(pkg, "dist/src/codegen/cli.js"), join(dir, "rich.abi.json"), "-o", join(dir, "rich.ts"), "--import", "../src/index.js"], { encoding: "utf8" });
    assert.equal(gen2.status, 0, gen2.stderr);
    const rt = readFileSync(join(dir, "rich.ts"), "utf8");
    assert.match(rt, /export interface Deal \{\n  "buyer": Address;\n  "price": bigint;\n  "item": ObjectId \| null;\n\}/);
    assert.match(rt, /open\(deal: Deal, tags: Array<string>, memo\?: Uint8Array \| string \| null, options\?: CallOptions\): Promise<CallResult<Array<Deal>>>/);
    assert.match(rt, /find\(id: Hash, limit\?: number \| null, options\?: ViewOptions\): Promise<Deal \| null>/);
    assert.match(rt, /constructor_\(options\?: CallOptions\): Promise<CallResult<void>>/);
    // A malformed ABI is refused with the reason.
    writeFileSync(join(dir, "bad.abi.json"), JSON.stringify({ abi_version: 1, methods: [{ name: "X", params: [{ name: "a", type: "f32" }], returns: null, readonly: false }] }));
    const bad = spawnSync(process.execPath, [join(pkg, "dist/src/codegen/cli.js"), join(dir, "bad.abi.json")], { encoding: "utf8" });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /ward-codegen: error: ABI: method X, parameter a: unknown type "f32"/);
    const tsc = spawnSync(process.execPath, [join(pkg, "node_modules/typescript/bin/tsc"), "--strict", "--noUnusedLocals", "--target", "ES2022", "--module", "NodeNext", "--moduleResolution", "NodeNext", "--skipLibCheck", "--types", "node", "--declaration", join(dir, "token.ts"), join(dir, "rich.ts")], { encoding: "utf8", cwd: pkg });
    assert.equal(tsc.status, 0, `tsc on the generated client: ${tsc.stdout}${tsc.stderr}`);
    const mod = await import(pathToFileURL(join(dir, "token.js")).href);
    const TokenClient = mod.TokenClient;
    const t = TokenClient.at(dev, token.address);
    const carol = asAddress(Ed25519Signer.random().address) as Address;
    const before: bigint = await t.getBalance(dev.address);
    const r = await t.transfer(carol, 42n);
    assert.equal(r.result, true);
    assert.equal(await t.getBalance(carol), 42n);
    assert.equal(await t.getBalance(dev.address), before - 42n);
    assert.match(await t.accountOf(carol), /^0x[0-9a-f]{64}$/);
    assert.equal(await t.accountOf(asAddress(Ed25519Signer.random().address)), null);
    const sim = await t.simulate.transfer(carol, 1n);
    assert.equal(sim.result, true);
    const fresh = await TokenClient.deploy(dev, wasm, { init: "Initialize", args: { total_supply: 77n } });
    assert.equal(await fresh.client.totalSupply(), 77n);
    const readOnly = TokenClient.at(provider, fresh.address);
    assert.equal(await readOnly.getBalance(dev.address), 77n);
    await assert.rejects(readOnly.transfer(carol, 1n), /needs a Wallet/);
  });
});
