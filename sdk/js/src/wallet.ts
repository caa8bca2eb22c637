// Wallet: signs with one key, keeps its own nonces, sends and waits.
import { RpcError, TransportError, TxFailedError, TxRejectedError, TxTimeoutError } from "./errors.js";
import { stringifyJson } from "./json.js";
import { contractAddress } from "./keys.js";
import type { WardProvider } from "./provider.js";
import type { Receipt } from "./rpc-types.js";
import { signTransaction, type Action, type FloatPolicy, type SignedTransaction, type Signer, type Transaction } from "./tx.js";
import { asAddress, toU64, type Address, type Hash, type U64Like } from "./types.js";
import type { Abi } from "./abi.js";
import { Contract } from "./contract.js";

/** Gas of a native transfer: a fixed 2,000 (the node's transfer cost). */
export const TRANSFER_GAS = 2_000n;
/** Default gas limit of deploys and calls (the node's default), capped by the block gas limit. */
export const DEFAULT_GAS_LIMIT = 10_000_000n;

export interface WalletOptions {
  /** How far above the committed nonce the node admits (its mempool max_nonce_ahead; default 16). */
  maxNonceAhead?: number;
  /** expiry_height = head height + this (default 600; the node allows at most 3,600). */
  expiryBlocks?: number;
  /** Gas price (default: the chain's minimum). */
  gasPrice?: U64Like;
  /** Default time to wait for inclusion, ms (default 60,000). */
  timeoutMs?: number;
}

export interface SendOptions {
  gasLimit?: U64Like;
  gasPrice?: U64Like;
  /** "included" (default): resolve with the receipt; "none": resolve once the node admitted it. */
  waitUntil?: "none" | "included";
  /** Deadline from signing to the receipt, ms (default the wallet's timeoutMs). */
  timeoutMs?: number;
}

export interface TxResult {
  /** Known before sending. */
  txHash: Hash;
  nonce: bigint;
  /** null with waitUntil "none". */
  receipt: Receipt | null;
}

export interface DeployOptions extends SendOptions {
  /** The init method run by the deploy. */
  init?: string;
  /** Its arguments, a JSON value (bigint allowed). */
  args?: unknown;
  /** The ABI, stored with the contract (ward_getAbi) and used for the returned Contract. */
  abi?: Abi | string;
  value?: U64Like;
  immutable?: boolean;
  floatPolicy?: FloatPolicy;
}

export interface DeployResult extends TxResult {
  /** The new contract's address (derived from the sender and nonce). */
  address: Address;
  /** The contract bound to this wallet (when an ABI was given). */
  contract: Contract | null;
}

interface ChainContext {
  chainId: string;
  minGasPrice: bigint;
  blockGasLimit: bigint;
  head: bigint;
  at: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Hands out this wallet's nonces: consecutive for concurrent sends, a
 * nonce whose transaction was refused is handed out again, and the node's
 * committed nonce is read when nothing is known or on "nonce too low".
 */
export class NonceManager {
  #next: bigint | null = null;
  #holes: bigint[] = [];
  #committed = 0n;
  #lock: Promise<unknown> = Promise.resolve();
  #watchers: { target: bigint; deadline: number; resolve(): void; reject(e: Error): void }[] = [];
  #watching = false;

  constructor(
    readonly provider: WardProvider,
    readonly address: Address,
  ) {}

  #locked<T>(f: () => Promise<T>): Promise<T> {
    const r = this.#lock.then(f);
    this.#lock = r.catch(() => undefined);
    return r;
  }

  /** The lowest known committed next nonce (from the node, or from receipts). */
  get committed(): bigint {
    return this.#committed;
  }

  /** The next nonce to use. */
  acquire(): Promise<bigint> {
    return this.#locked(async () => {
      if (this.#next === null) this.#adopt(await this.provider.getNonce(this.address));
      if (this.#holes.length > 0) return this.#holes.shift()!;
      return this.#next!++;
    });
  }

  /** Gives back a nonce whose transaction never reached the mempool. */
  release(nonce: bigint): void {
    if (this.#next === null || nonce < this.#committed) return;
    if (nonce === this.#next - 1n) {
      this.#next = nonce;
      while (this.#holes.length && this.#holes[this.#holes.length - 1] === this.#next - 1n) this.#next = this.#holes.pop()!;
    } else if (!this.#holes.includes(nonce)) {
      this.#holes.push(nonce);
      this.#holes.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    }
  }

  /** Reads the committed nonce from the node; later acquisitions start from it when it is ahead. */
  resync(): Promise<bigint> {
    return this.#locked(async () => {
      const n = await this.provider.getNonce(this.address);
      this.#adopt(n);
      return n;
    });
  }

  #adopt(n: bigint): void {
    this.observeCommitted(n);
    if (this.#next === null || this.#next < n) this.#next = n;
    this.#holes = this.#holes.filter((h) => h >= n);
  }

  /** Records that the account's committed next nonce is at least `n`. */
  observeCommitted(n: bigint): void {
    if (n > this.#committed) this.#committed = n;
    const ready = this.#watchers.filter((w) => w.target <= this.#committed);
    if (ready.length) {
      this.#watchers = this.#watchers.filter((w) => w.target > this.#committed);
      for (const w of ready) w.resolve();
    }
  }

  /** Resolves once the committed nonce reaches `target`; rejects with false at the deadline. */
  waitCommitted(target: bigint, deadline: number): Promise<boolean> {
    if (target <= this.#committed) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      this.#watchers.push({ target, deadline, resolve: () => resolve(true), reject: () => resolve(false) });
      if (!this.#watching) void this.#watch();
    });
  }

  async #watch(): Promise<void> {
    this.#watching = true;
    try {
      while (this.#watchers.length > 0) {
        await sleep(this.provider.pollIntervalMs);
        try {
          this.observeCommitted(await this.provider.getNonce(this.address));
        } catch {
          // unreachable for now; deadlines still apply
        }
        const now = Date.now();
        const late = this.#watchers.filter((w) => w.deadline <= now);
        this.#watchers = this.#watchers.filter((w) => w.deadline > now);
        for (const w of late) w.reject(new Error("deadline"));
      }
    } finally {
      this.#watching = false;
    }
  }
}

export class Wallet {
  readonly provider: WardProvider;
  readonly signer: Signer;
  readonly nonces: NonceManager;
  readonly maxNonceAhead: bigint;
  readonly expiryBlocks: bigint;
  readonly timeoutMs: number;
  readonly #gasPrice?: bigint;
  #ctx: Promise<ChainContext> | null = null;

  constructor(provider: WardProvider, signer: Signer, options: WalletOptions = {}) {
    this.provider = provider;
    this.signer = signer;
    this.nonces = new NonceManager(provider, signer.address);
    this.maxNonceAhead = BigInt(options.maxNonceAhead ?? 16);
    this.expiryBlocks = BigInt(options.expiryBlocks ?? 600);
    if (this.expiryBlocks < 1n || this.expiryBlocks > 3600n) throw new RangeError("expiryBlocks must be 1 to 3600");
    this.timeoutMs = options.timeoutMs ?? 60_000;
    if (options.gasPrice !== undefined) this.#gasPrice = toU64(options.gasPrice, "gasPrice");
  }

  get address(): Address {
    return this.signer.address;
  }

  /** The native balance of this wallet's address. */
  getBalance(): Promise<bigint> {
    return this.provider.getBalance(this.address);
  }

  /** Chain id, minimum gas price, block gas limit and a recent head (re-read when older than 2 s). */
  async #context(): Promise<ChainContext> {
    const cur = this.#ctx;
    if (cur) {
      const c = await cur.catch(() => null);
      if (c && Date.now() - c.at < 2_000) return c;
      if (this.#ctx !== cur) return this.#context();
    }
    const p = this.provider.chainInfo().then((i) => ({
      chainId: i.chain_id,
      minGasPrice: i.min_gas_price,
      blockGasLimit: i.block_gas_limit,
      head: BigInt(i.head_height),
      at: Date.now(),
    }));
    this.#ctx = p;
    p.catch(() => {
      if (this.#ctx === p) this.#ctx = null;
    });
    return p;
  }

  /** Builds and signs a transaction without sending it (nonce given by the caller). */
  async sign(action: Action, fields: { nonce: U64Like; gasLimit?: U64Like; gasPrice?: U64Like; expiryHeight?: U64Like }): Promise<SignedTransaction> {
    const ctx = await this.#context();
    const tx: Transaction = {
      version: 1,
      chainId: ctx.chainId,
      signer: this.signer.publicKey,
      nonce: toU64(fields.nonce, "nonce"),
      expiryHeight: fields.expiryHeight !== undefined ? toU64(fields.expiryHeight, "expiryHeight") : ctx.head + this.expiryBlocks,
      gasLimit: this.#gasLimit(action, fields.gasLimit, ctx),
      gasPrice: fields.gasPrice !== undefined ? toU64(fields.gasPrice, "gasPrice") : (this.#gasPrice ?? ctx.minGasPrice),
      action,
    };
    return signTransaction(tx, this.signer);
  }

  #gasLimit(action: Action, given: U64Like | undefined, ctx: ChainContext): bigint {
    if (given !== undefined) return toU64(given, "gasLimit");
    if (action.type === "transfer") return TRANSFER_GAS;
    return DEFAULT_GAS_LIMIT < ctx.blockGasLimit ? DEFAULT_GAS_LIMIT : ctx.blockGasLimit;
  }

  /**
   * Signs and sends one action with the next nonce, then (by default) waits
   * for its receipt.
   * - waits before sending while the nonce is more than maxNonceAhead above
   *   the committed one (the node would refuse it), so any number of
   *   concurrent sends go through in nonce order;
   * - "nonce too low" (another client used the key): resyncs and retries once
   *   with a fresh nonce;
   * - a refused transaction gives its nonce back for the next send.
   * @throws TxRejectedError (refused at admission), TxFailedError (included,
   *   status not ok), TxTimeoutError (outcome unknown within timeoutMs, with
   *   the hash), RpcError.
   */
  async send(action: Action, options: SendOptions = {}): Promise<TxResult> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const deadline = Date.now() + timeoutMs;
    let nonce = await this.nonces.acquire();
    let stx: SignedTransaction;
    try {
      stx = await this.sign(action, { nonce, gasLimit: options.gasLimit, gasPrice: options.gasPrice });
    } catch (e) {
      this.nonces.release(nonce);
      throw e;
    }
    let retried = false;
    for (;;) {
      if (nonce > this.nonces.committed + this.maxNonceAhead) {
        const ok = await this.nonces.waitCommitted(nonce - this.maxNonceAhead, deadline);
        if (!ok) {
          this.nonces.release(nonce);
          throw new TxTimeoutError(
            `transaction ${stx.hash} (nonce ${nonce}) was not sent within ${timeoutMs} ms: earlier transactions of ${this.address} are not included yet`,
            stx.hash,
          );
        }
      }
      try {
        await this.provider.sendRawTransaction(stx.signedBytes, { waitUntil: "none" });
        break;
      } catch (e) {
        if (e instanceof TxRejectedError) {
          if (e.reason === "duplicate") break; // already in the mempool or a block: same hash
          if ((e.reason === "no_leader" || e.reason === "leader_unreachable") && Date.now() < deadline) {
            await sleep(this.provider.pollIntervalMs * 4); // cluster failover: the same bytes are safe to resend
            continue;
          }
          if (e.reason === "nonce_too_high") {
            this.nonces.observeCommitted(committedFromMessage(e.message) ?? 0n);
            if (Date.now() < deadline) {
              await this.nonces.waitCommitted(nonce - this.maxNonceAhead, Math.min(deadline, Date.now() + this.provider.pollIntervalMs * 5));
              continue;
            }
          }
          if (e.reason === "nonce_too_low" && !retried) {
            retried = true;
            await this.nonces.resync();
            nonce = await this.nonces.acquire();
            stx = await this.sign(action, { nonce, gasLimit: options.gasLimit, gasPrice: options.gasPrice });
            continue;
          }
          if (e.reason !== "nonce_too_low") this.nonces.release(nonce);
          throw e;
        }
        if (e instanceof TransportError) {
          throw new TxTimeoutError(
            `transaction ${stx.hash}: ${e.message}; it may have reached the node (poll getReceipt)`,
            stx.hash,
            { cause: e },
          );
        }
        if (e instanceof RpcError) this.nonces.release(nonce);
        throw e;
      }
    }
    if (options.waitUntil === "none") return { txHash: stx.hash, nonce, receipt: null };
    const receipt = await this.provider.waitForReceipt(stx.hash, { timeoutMs: Math.max(0, deadline - Date.now()) });
    this.nonces.observeCommitted(nonce + 1n);
    if (receipt.status !== "ok") {
      throw new TxFailedError(
        `transaction ${stx.hash} ${receipt.status}${receipt.error ? `: ${receipt.error}` : ""}`,
        receipt,
        stx.hash,
      );
    }
    return { txHash: stx.hash, nonce, receipt };
  }

  /** Sends native value. Gas: TRANSFER_GAS unless given. */
  transfer(to: string, amount: U64Like, options?: SendOptions): Promise<TxResult> {
    return this.send({ type: "transfer", to: asAddress(to, "to"), amount: toU64(amount, "amount") }, options);
  }

  /**
   * Deploys a module (raw or gzip wasm), runs `init` with `args`, stores `abi`.
   * Returns the address and, with an ABI, a Contract bound to this wallet.
   */
  async deploy(wasm: Uint8Array, options: DeployOptions = {}): Promise<DeployResult> {
    if (!(wasm instanceof Uint8Array)) throw new TypeError("deploy: wasm must be a Uint8Array");
    if (options.args !== undefined && options.init === undefined) throw new TypeError("deploy: args need init (the method they are for)");
    const abiText = options.abi === undefined ? null : typeof options.abi === "string" ? options.abi : JSON.stringify(options.abi);
    const action: Action = {
      type: "deploy",
      code: wasm,
      initMethod: options.init ?? null,
      initArgs: options.args === undefined ? (options.init === undefined ? "" : "{}") : stringifyJson(options.args),
      value: toU64(options.value ?? 0n, "value"),
      immutable: options.immutable ?? false,
      floatPolicy: options.floatPolicy ?? "allow",
      abi: abiText,
    };
    const r = await this.send(action, options);
    const address = r.receipt?.contract ?? contractAddress(this.address, r.nonce);
    return { ...r, address, contract: abiText === null ? null : Contract.at(this, address, abiText) };
  }

  /** Replaces a contract's code (admin only), optionally running `migrate` with `args`. */
  upgrade(contract: string, wasm: Uint8Array, options: SendOptions & { migrate?: string; args?: unknown } = {}): Promise<TxResult> {
    return this.send(
      {
        type: "upgrade",
        contract: asAddress(contract, "contract"),
        code: wasm,
        migrateMethod: options.migrate ?? null,
        migrateArgs: options.args === undefined ? "" : stringifyJson(options.args),
      },
      options,
    );
  }

  /** Destroys a contract (admin only), its balance going to `beneficiary`. */
  destroy(contract: string, beneficiary: string, options?: SendOptions): Promise<TxResult> {
    return this.send({ type: "destroy", contract: asAddress(contract, "contract"), beneficiary: asAddress(beneficiary, "beneficiary") }, options);
  }
}

function committedFromMessage(message: string): bigint | undefined {
  const m = /next nonce is ([0-9]+)/.exec(message);
  return m ? BigInt(m[1]!) : undefined;
}

