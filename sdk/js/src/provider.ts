// WardProvider: JSON-RPC over HTTP (fetch) and WebSocket subscriptions
// (docs/rpc.md). Typed helpers for every node method; request() for any.
import { fromHex, to0x } from "./bytes.js";
import { RpcError, TransportError, TxRejectedError, TxTimeoutError, WardError } from "./errors.js";
import { parseJson, stringifyJson, type Json } from "./json.js";
import type {
  Account,
  Block,
  BlockHeader,
  CallOutcome,
  ChainInfo,
  EventsPage,
  IndexedEvent,
  ObjectInfo,
  ProofAnswer,
  Receipt,
  StateBytes,
  TransactionView,
} from "./rpc-types.js";
import { asAddress, asHash, toU64, type Address, type Hash, type U64Like } from "./types.js";
import { openSocket, type MiniSocket, type WebSocketConstructor } from "./ws.js";

export interface ProviderOptions {
  /** The node's HTTP endpoint, e.g. `http://127.0.0.1:8645`. */
  url: string;
  /** WebSocket endpoint; default: `url` with ws:// (wss://) and path `/ws`. */
  wsUrl?: string;
  /** Deadline of one HTTP request, ms (default 30,000). */
  requestTimeoutMs?: number;
  /** How often waitForReceipt asks the node, ms (default 100). Pending hashes are asked for in one batch. */
  pollIntervalMs?: number;
  /** A fetch implementation (default: the global fetch). */
  fetch?: typeof fetch;
  /** A WebSocket constructor (default: the global one; on Node 20 a built-in client). */
  WebSocket?: WebSocketConstructor;
}

export type BlockSelector = "latest" | number | bigint | { height: number | bigint } | { hash: string };

/** `{events: {contract?, name?}}` or `{newHeads: true}`. */
export type SubscriptionFilter =
  | { events: { contract?: string; name?: string } }
  | { newHeads: true | Record<string, never> };

export interface Subscription {
  /** The node's subscription id. */
  readonly id: string;
  /** Ends the subscription (ward_unsubscribe); no callback runs after it resolves. */
  close(): Promise<void>;
}

export interface SubscribeOptions {
  /** Called once when the subscription ends without close(): the WebSocket dropped. */
  onError?: (error: Error) => void;
}

/** Fields of ward_simulate / ward_estimateGas (docs/rpc.md). */
export interface TxFields {
  from: string;
  action: { type: string; [field: string]: Json };
  nonce?: U64Like;
  gas_limit?: U64Like;
  gas_price?: U64Like;
  expiry_height?: U64Like;
}

interface Pending {
  resolve(v: Json): void;
  reject(e: Error): void;
  method: string;
}

function u64Field(v: Json | undefined): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number") return BigInt(v);
  if (typeof v === "string" && /^[0-9]+$/.test(v)) return BigInt(v);
  return 0n;
}

/** Receipt with its money fields as bigint. */
export function normalizeReceipt(r: Json): Receipt {
  const o = r as { [k: string]: Json };
  return { ...(o as object), gas_price: u64Field(o.gas_price), fee: u64Field(o.fee) } as unknown as Receipt;
}

function errorOf(e: { code?: Json; message?: Json; data?: Json }, method: string): RpcError {
  const code = typeof e.code === "number" ? e.code : -32603;
  const message = typeof e.message === "string" ? e.message : "error without a message";
  const data = e.data;
  const d = (data && typeof data === "object" && !Array.isArray(data) ? data : {}) as { [k: string]: Json };
  if (code === -32001 && d.kind === "rejected") {
    return new TxRejectedError(message, String(d.reason ?? "unknown"), typeof d.txHash === "string" ? (d.txHash as Hash) : null, data);
  }
  return new RpcError(message, code, data, method);
}

export class WardProvider {
  readonly url: string;
  readonly wsUrl: string;
  readonly requestTimeoutMs: number;
  readonly pollIntervalMs: number;
  readonly #fetch: typeof fetch;
  readonly #WebSocket?: WebSocketConstructor;
  #nextId = 1;
  // WebSocket state
  #socket: Promise<MiniSocket> | null = null;
  #wsPending = new Map<number, Pending>();
  #subs = new Map<string, { cb: (r: Json) => void; onError?: (e: Error) => void }>();
  // Receipt waiting: one poll loop for every pending hash.
  #waiting = new Map<string, { resolve(r: Receipt): void; reject(e: Error): void; deadline: number }[]>();
  #pollTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: ProviderOptions) {
    if (!options || typeof options.url !== "string") throw new TypeError("WardProvider: options.url (the node's http:// URL) is required");
    const u = new URL(options.url);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new TypeError(`WardProvider: url must be http:// or https://, got ${options.url}`);
    this.url = options.url;
    if (options.wsUrl) this.wsUrl = options.wsUrl;
    else {
      const w = new URL(options.url);
      w.protocol = u.protocol === "https:" ? "wss:" : "ws:";
      if (w.pathname === "/" || w.pathname === "") w.pathname = "/ws";
      this.wsUrl = w.toString();
    }
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    const f = options.fetch ?? globalThis.fetch;
    if (!f) throw new TypeError("WardProvider: no fetch available; pass options.fetch");
    this.#fetch = f.bind(globalThis);
    this.#WebSocket = options.WebSocket;
  }

  // --- transport ---------------------------------------------------------

  /**
   * Calls any JSON-RPC method over HTTP. Integers beyond 2^53 in the answer
   * come back as bigint.
   * @throws RpcError (TxRejectedError for -32001) for an error answer;
   *   TransportError when the node cannot be reached or does not answer within requestTimeoutMs.
   */
  async request<T = Json>(method: string, params?: Json | unknown[] | object, options?: { timeoutMs?: number }): Promise<T> {
    const id = this.#nextId++;
    const body = stringifyJson({ jsonrpc: "2.0", id, method, params: params ?? [] });
    const answer = (await this.#post(body, method, options?.timeoutMs)) as { [k: string]: Json };
    if (answer === null || typeof answer !== "object" || Array.isArray(answer)) {
      throw new TransportError(`${method}: the node answered something that is not a JSON-RPC response`);
    }
    if (answer.error !== undefined) throw errorOf(answer.error as object, method);
    return answer.result as T;
  }

  /**
   * Several calls in one HTTP request (a JSON-RPC batch, at most the node's
   * max_batch, 100 by default). Each entry is its result or its RpcError.
   */
  async batch(calls: { method: string; params?: unknown }[], options?: { timeoutMs?: number }): Promise<(Json | RpcError)[]> {
    if (calls.length === 0) return [];
    const first = this.#nextId;
    this.#nextId += calls.length;
    const body = stringifyJson(calls.map((c, i) => ({ jsonrpc: "2.0", id: first + i, method: c.method, params: c.params ?? [] })));
    const answer = await this.#post(body, "batch", options?.timeoutMs);
    if (!Array.isArray(answer)) {
      const a = answer as { error?: Json };
      if (a && typeof a === "object" && a.error) throw errorOf(a.error as object, "batch");
      throw new TransportError("batch: the node answered something that is not a JSON-RPC batch response");
    }
    const out: (Json | RpcError)[] = new Array(calls.length).fill(null);
    for (const r of answer as { [k: string]: Json }[]) {
      const i = (r.id as number) - first;
      if (!(i >= 0 && i < calls.length)) continue;
      out[i] = r.error !== undefined ? errorOf(r.error as object, calls[i]!.method) : (r.result as Json);
    }
    return out;
  }

  async #post(body: string, method: string, timeoutMs?: number): Promise<Json> {
    const ms = timeoutMs ?? this.requestTimeoutMs;
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), ms);
    let res: Response;
    let text: string;
    try {
      res = await this.#fetch(this.url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body,
        signal: ctl.signal,
      });
      text = await res.text();
    } catch (e) {
      const why = ctl.signal.aborted ? `no answer within ${ms} ms` : (e as Error).message;
      throw new TransportError(`${method}: ${why} (${this.url})`, undefined, { cause: e });
    } finally {
      clearTimeout(timer);
    }
    if (res.status === 204) return null;
    let parsed: Json;
    try {
      parsed = parseJson(text);
    } catch (e) {
      throw new TransportError(`${method}: HTTP ${res.status}, body is not JSON: ${text.slice(0, 200)}`, res.status, { cause: e });
    }
    if (res.status !== 200) {
      const err = (parsed as { error?: Json } | null)?.error;
      if (err && typeof err === "object") throw errorOf(err as object, method);
      throw new TransportError(`${method}: HTTP ${res.status}`, res.status);
    }
    return parsed;
  }

  // --- node methods (docs/rpc.md, "Methods") -----------------------------

  /** ward_chainInfo. */
  async chainInfo(): Promise<ChainInfo> {
    const r = await this.request<{ [k: string]: Json }>("ward_chainInfo", []);
    return { ...(r as object), min_gas_price: u64Field(r.min_gas_price), block_gas_limit: u64Field(r.block_gas_limit) } as ChainInfo;
  }

  /**
   * ward_sendTransaction with signed bytes (or their hex). The node's
   * `waitUntil: "included"` holds one of its I/O threads while it waits;
   * Wallet sends with "none" and waits with waitForReceipt instead.
   * @throws TxRejectedError, TxTimeoutError (-32002), RpcError
   */
  async sendRawTransaction(
    signed: Uint8Array | string,
    options?: { waitUntil?: "none" | "included"; timeoutMs?: number },
  ): Promise<{ tx_hash: Hash; receipt: Receipt | null }> {
    const hex = typeof signed === "string" ? to0x(fromHex(signed, "signed transaction")) : to0x(signed);
    const params: Json[] = [hex, options?.waitUntil ?? "none"];
    if (options?.timeoutMs !== undefined) params.push(options.timeoutMs);
    const httpTimeout = options?.waitUntil === "included" ? (options?.timeoutMs ?? 30_000) + this.requestTimeoutMs : undefined;
    try {
      const r = await this.request<{ tx_hash: Hash; receipt: Json }>("ward_sendTransaction", params, { timeoutMs: httpTimeout });
      return { tx_hash: r.tx_hash, receipt: r.receipt === null ? null : normalizeReceipt(r.receipt) };
    } catch (e) {
      if (e instanceof RpcError && e.code === -32002) {
        const d = e.data as { txHash?: string } | undefined;
        throw new TxTimeoutError(e.message, (d?.txHash ?? "") as Hash, { cause: e });
      }
      throw e;
    }
  }

  /** ward_getTransaction: the transaction with its receipt, `{hash, pending: true}` in the mempool, or null. */
  async getTransaction(hash: string): Promise<TransactionView | { hash: Hash; pending: true } | null> {
    const r = await this.request<{ [k: string]: Json } | null>("ward_getTransaction", [asHash(hash)]);
    if (r && r.receipt) return { ...(r as object), receipt: normalizeReceipt(r.receipt) } as TransactionView;
    return r as unknown as TransactionView | null;
  }

  /** ward_getReceipt: the receipt, or null when the transaction is not in a block. */
  async getReceipt(hash: string): Promise<Receipt | null> {
    const r = await this.request<Json>("ward_getReceipt", [asHash(hash)]);
    return r === null ? null : normalizeReceipt(r);
  }

  /**
   * ward_getBlock: "latest" (default), a height, {height} or {hash}; null
   * when there is none. `raw` adds raw_header and raw_transactions (hex).
   */
  async getBlock(block: BlockSelector = "latest", fullTxs = false, raw = false): Promise<Block | null> {
    let sel: Json;
    if (typeof block === "bigint") sel = block;
    else if (typeof block === "number") sel = block;
    else if (block === "latest") sel = "latest";
    else if ("hash" in block) sel = { hash: asHash(block.hash) };
    else sel = { height: block.height };
    return this.request<Block | null>("ward_getBlock", raw ? [sel, fullTxs, true] : [sel, fullTxs]);
  }

  /** ward_getAccount. */
  async getAccount(address: string): Promise<Account> {
    const r = await this.request<{ [k: string]: Json }>("ward_getAccount", [asAddress(address)]);
    return { ...(r as object), balance: u64Field(r.balance), nonce: u64Field(r.nonce) } as Account;
  }

  /** The native balance of an address (from ward_getAccount). */
  async getBalance(address: string): Promise<bigint> {
    return (await this.getAccount(address)).balance;
  }

  /** ward_getNonce: the account's next nonce (committed transactions only). */
  async getNonce(address: string): Promise<bigint> {
    return u64Field(await this.request<Json>("ward_getNonce", [asAddress(address)]));
  }

  /** ward_call: a read-only call at the head. `args` is a JSON value (bigint allowed). */
  async call(p: { to: string; method: string; args?: unknown; from?: string; value?: U64Like; gas?: U64Like }): Promise<CallOutcome> {
    const params: { [k: string]: Json } = { to: asAddress(p.to, "to"), method: p.method };
    if (p.args !== undefined) params.args = p.args as Json;
    if (p.from !== undefined) params.from = asAddress(p.from, "from");
    if (p.value !== undefined) params.value = toU64(p.value, "value");
    if (p.gas !== undefined) params.gas = toU64(p.gas, "gas");
    return this.request<CallOutcome>("ward_call", [params]);
  }

  /** ward_simulate: a dry run of a transaction (hex, signed or not) or of fields; the receipt. */
  async simulate(tx: Uint8Array | string | TxFields): Promise<Receipt> {
    return normalizeReceipt(await this.request<Json>("ward_simulate", [txParam(tx)]));
  }

  /** ward_estimateGas: `{gas_used, status, error}` of a dry run. */
  async estimateGas(tx: Uint8Array | string | TxFields): Promise<{ gas_used: number; status: string; error: string | null }> {
    return this.request("ward_estimateGas", [txParam(tx)]);
  }

  /** ward_getCode: `{code_hash, code}` (hex) or null. */
  async getCode(address: string): Promise<{ code_hash: Hash; code: string } | null> {
    return this.request("ward_getCode", [asAddress(address)]);
  }

  /** ward_getAbi: the ABI JSON the deploy carried, or null. */
  async getAbi(address: string): Promise<Json> {
    return this.request("ward_getAbi", [asAddress(address)]);
  }

  /** ward_getState: one key (`{key}` / `{key_hex}`) or a page (`{prefix?, prefix_hex?, limit?, cursor?}`). */
  async getState(
    address: string,
    query: { key?: string; key_hex?: string; prefix?: string; prefix_hex?: string; limit?: number; cursor?: Json },
  ): Promise<
    | { key: StateBytes; value: StateBytes | null; height: number }
    | { entries: { key: StateBytes; value: StateBytes }[]; cursor: Json; height: number }
  > {
    return this.request("ward_getState", [asAddress(address), query as Json]);
  }

  /** ward_getObject: `{id, contract, owner, fields}` or null. */
  async getObject(id: string): Promise<ObjectInfo | null> {
    return this.request("ward_getObject", [asHash(id, "object id")]);
  }

  /** ward_getEvents: one page; pass `cursor` back to continue. */
  async getEvents(filter: {
    fromHeight: number | bigint;
    toHeight?: number | bigint;
    contract?: string;
    name?: string;
    limit?: number;
    cursor?: Json;
  }): Promise<EventsPage> {
    const f: { [k: string]: Json } = { fromHeight: filter.fromHeight };
    if (filter.toHeight !== undefined) f.toHeight = filter.toHeight;
    if (filter.contract !== undefined) f.contract = asAddress(filter.contract, "contract");
    if (filter.name !== undefined) f.name = filter.name;
    if (filter.limit !== undefined) f.limit = filter.limit;
    if (filter.cursor !== undefined && filter.cursor !== null) f.cursor = filter.cursor;
    return this.request("ward_getEvents", [f]);
  }

  /** ward_getProof: a proof for a raw state key (bytes or hex); check it with verifyProof. */
  async getProof(key: Uint8Array | string): Promise<ProofAnswer> {
    const hex = typeof key === "string" ? to0x(fromHex(key, "key")) : to0x(key);
    return this.request("ward_getProof", [hex]);
  }

  // --- receipts ----------------------------------------------------------

  /**
   * Waits until the transaction is in a block and returns its receipt. All
   * waiting hashes are asked for together, one batch per pollIntervalMs.
   * @throws TxTimeoutError (with the hash) when it is not included within timeoutMs (default 60,000).
   */
  waitForReceipt(hash: string, options?: { timeoutMs?: number }): Promise<Receipt> {
    const h = asHash(hash);
    const timeoutMs = options?.timeoutMs ?? 60_000;
    return new Promise<Receipt>((resolve, reject) => {
      const list = this.#waiting.get(h) ?? [];
      list.push({ resolve, reject, deadline: Date.now() + timeoutMs });
      this.#waiting.set(h, list);
      this.#schedulePoll(0);
    });
  }

  #schedulePoll(delay: number): void {
    if (this.#pollTimer !== null) return;
    this.#pollTimer = setTimeout(() => {
      this.#poll().finally(() => {
        this.#pollTimer = null;
        if (this.#waiting.size > 0) this.#schedulePoll(this.pollIntervalMs);
      });
    }, delay);
  }

  async #poll(): Promise<void> {
    const hashes = [...this.#waiting.keys()];
    for (let i = 0; i < hashes.length; i += 100) {
      const chunk = hashes.slice(i, i + 100);
      let answers: (Json | RpcError)[] | null = null;
      try {
        answers = await this.batch(chunk.map((h) => ({ method: "ward_getReceipt", params: [h] })));
      } catch {
        answers = null; // the node is unreachable for now: deadlines still apply
      }
      chunk.forEach((h, k) => {
        const a = answers?.[k];
        const waiters = this.#waiting.get(h);
        if (!waiters) return;
        if (a !== undefined && a !== null && !(a instanceof RpcError)) {
          this.#waiting.delete(h);
          const r = normalizeReceipt(a);
          for (const w of waiters) w.resolve(r);
        }
      });
    }
    const now = Date.now();
    for (const [h, waiters] of this.#waiting) {
      const late = waiters.filter((w) => w.deadline <= now);
      if (late.length === 0) continue;
      const rest = waiters.filter((w) => w.deadline > now);
      if (rest.length) this.#waiting.set(h, rest);
      else this.#waiting.delete(h);
      for (const w of late) {
        w.reject(new TxTimeoutError(`transaction ${h} not included in time; it may still be included (poll getReceipt)`, h as Hash));
      }
    }
  }

  // --- WebSocket ---------------------------------------------------------

  #ws(): Promise<MiniSocket> {
    if (this.#socket) return this.#socket;
    const p = new Promise<MiniSocket>((resolve, reject) => {
      let opened = false;
      let sock: MiniSocket | null = null;
      openSocket(
        this.wsUrl,
        {
          onopen: () => {
            opened = true;
            if (sock) resolve(sock);
          },
          onmessage: (text) => this.#onMessage(text),
          onclose: (why) => {
            if (this.#socket === p) this.#socket = null;
            const err = new TransportError(why);
            if (!opened) reject(err);
            for (const w of this.#wsPending.values()) w.reject(err);
            this.#wsPending.clear();
            const subs = [...this.#subs.values()];
            this.#subs.clear();
            for (const s of subs) s.onError?.(err);
          },
        },
        this.#WebSocket,
      ).then(
        (s) => {
          sock = s;
          if (opened) resolve(s);
        },
        (e) => reject(e),
      );
    });
    this.#socket = p;
    p.catch(() => undefined);
    return p;
  }

  #onMessage(text: string): void {
    let msg: Json;
    try {
      msg = parseJson(text);
    } catch {
      return;
    }
    const list = Array.isArray(msg) ? msg : [msg];
    for (const m of list as { [k: string]: Json }[]) {
      if (!m || typeof m !== "object") continue;
      if (m.method === "ward_subscription") {
        const p = m.params as { subscription?: Json; result?: Json } | null;
        const sub = p && typeof p.subscription === "string" ? this.#subs.get(p.subscription) : undefined;
        if (sub) {
          try {
            sub.cb(p!.result as Json);
          } catch (e) {
            queueMicrotask(() => {
              throw e; // the callback's own error, reported as uncaught; other messages go on
            });
          }
        }
        continue;
      }
      if (typeof m.id === "number") {
        const w = this.#wsPending.get(m.id);
        if (!w) continue;
        this.#wsPending.delete(m.id);
        if (m.error !== undefined) w.reject(errorOf(m.error as object, w.method));
        else w.resolve(m.result as Json);
      }
    }
  }

  /** Calls a method over the WebSocket (subscriptions live there). */
  async wsRequest<T = Json>(method: string, params?: unknown): Promise<T> {
    const sock = await this.#ws();
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#wsPending.set(id, { resolve: resolve as (v: Json) => void, reject, method });
      sock.send(stringifyJson({ jsonrpc: "2.0", id, method, params: params ?? [] }));
    });
  }

  /**
   * Subscribes over the WebSocket: `{events: {contract?, name?}}` calls `cb`
   * with each matching event of each committed block (IndexedEvent);
   * `{newHeads: true}` with each new block header.
   * @throws RpcError when the node refuses the filter; TransportError when the WebSocket cannot be opened.
   */
  subscribe(filter: { events: { contract?: string; name?: string } }, cb: (event: IndexedEvent) => void, options?: SubscribeOptions): Promise<Subscription>;
  subscribe(filter: { newHeads: true | Record<string, never> }, cb: (header: BlockHeader) => void, options?: SubscribeOptions): Promise<Subscription>;
  async subscribe(filter: SubscriptionFilter, cb: (r: never) => void, options?: SubscribeOptions): Promise<Subscription> {
    let kind: string;
    let f: Json = null;
    if ("events" in filter) {
      kind = "events";
      const e: { [k: string]: Json } = {};
      if (filter.events.contract !== undefined) e.contract = asAddress(filter.events.contract, "events.contract");
      if (filter.events.name !== undefined) e.name = filter.events.name;
      f = e;
    } else if ("newHeads" in filter) {
      kind = "newHeads";
    } else {
      throw new TypeError('subscribe: the filter must be {events: {contract?, name?}} or {newHeads: true}');
    }
    const id = await this.wsRequest<string>("ward_subscribe", f === null ? [kind] : [kind, f]);
    let open = true;
    this.#subs.set(id, {
      cb: (r) => {
        if (open) (cb as (r: Json) => void)(r);
      },
      onError: (e) => {
        if (!open) return;
        open = false;
        options?.onError?.(e);
      },
    });
    return {
      id,
      close: async () => {
        if (!open) return;
        open = false;
        this.#subs.delete(id);
        try {
          await this.wsRequest<boolean>("ward_unsubscribe", [id]);
        } catch (e) {
          if (!(e instanceof TransportError)) throw e;
        }
        if (this.#subs.size === 0 && this.#wsPending.size === 0) this.#closeSocket();
      },
    };
  }

  #closeSocket(): void {
    const s = this.#socket;
    this.#socket = null;
    s?.then((sock) => sock.close(), () => undefined);
  }

  /** Closes the WebSocket (ending every subscription) and stops waiting for receipts. */
  close(): void {
    this.#subs.clear();
    this.#closeSocket();
    if (this.#pollTimer !== null) clearTimeout(this.#pollTimer);
    this.#pollTimer = null;
    for (const [h, waiters] of this.#waiting) for (const w of waiters) w.reject(new WardError(`provider closed while waiting for ${h}`));
    this.#waiting.clear();
  }
}

function txParam(tx: Uint8Array | string | TxFields): Json {
  if (tx instanceof Uint8Array) return to0x(tx);
  if (typeof tx === "string") return to0x(fromHex(tx, "transaction"));
  const out: { [k: string]: Json } = { from: asAddress(tx.from, "from"), action: tx.action };
  if (tx.nonce !== undefined) out.nonce = toU64(tx.nonce, "nonce");
  if (tx.gas_limit !== undefined) out.gas_limit = toU64(tx.gas_limit, "gas_limit");
  if (tx.gas_price !== undefined) out.gas_price = toU64(tx.gas_price, "gas_price");
  if (tx.expiry_height !== undefined) out.expiry_height = toU64(tx.expiry_height, "expiry_height");
  return out;
}
