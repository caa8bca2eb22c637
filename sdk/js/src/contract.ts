// Contract: a deployed contract seen through its ABI. `view.M(args)` runs
// ward_call, `call.M(args, opts)` signs and sends, `simulate.M(args, opts)`
// dry-runs with ward_simulate.
import { AbiCodec, type Abi } from "./abi.js";
import { CallFailedError, TxFailedError, WardError } from "./errors.js";
import { stringifyJson } from "./json.js";
import { WardProvider } from "./provider.js";
import type { CallOutcome, Receipt } from "./rpc-types.js";
import { asAddress, toU64, type Address, type Hash, type U64Like } from "./types.js";
import type { SendOptions, Wallet } from "./wallet.js";

export interface ViewOptions {
  /** The sender the contract sees (default: the wallet's address, or the zero address). */
  from?: string;
  value?: U64Like;
  gas?: U64Like;
}

export interface CallOptions extends SendOptions {
  /** Native value sent with the call. */
  value?: U64Like;
}

export interface CallResult<R = unknown> {
  txHash: Hash;
  nonce: bigint;
  /** null with waitUntil "none". */
  receipt: Receipt | null;
  /** The decoded result (undefined with waitUntil "none"). */
  result: R | undefined;
}

export interface SimulateResult<R = unknown> {
  receipt: Receipt;
  result: R;
  gasUsed: number;
}

type Methods<F> = Record<string, F>;

function isWallet(x: unknown): x is Wallet {
  return !!x && typeof x === "object" && "signer" in x && "provider" in x && "nonces" in x;
}

export class Contract {
  readonly address: Address;
  readonly codec: AbiCodec;
  readonly provider: WardProvider;
  readonly wallet: Wallet | null;
  /** Read-only calls (ward_call): resolve with the decoded result; CallFailedError when not ok. */
  readonly view: Methods<(args?: unknown, options?: ViewOptions) => Promise<unknown>>;
  /** Signed calls: resolve with {txHash, receipt, result}; TxFailedError / TxRejectedError / TxTimeoutError. */
  readonly call: Methods<(args?: unknown, options?: CallOptions) => Promise<CallResult>>;
  /** Dry runs (ward_simulate) from the wallet's address: {receipt, result, gasUsed}; TxFailedError when not ok. */
  readonly simulate: Methods<(args?: unknown, options?: CallOptions) => Promise<SimulateResult>>;

  private constructor(runner: WardProvider | Wallet, address: string, abi: Abi | string) {
    this.address = asAddress(address, "contract address");
    this.codec = new AbiCodec(abi);
    this.wallet = isWallet(runner) ? runner : null;
    this.provider = isWallet(runner) ? runner.provider : runner;
    if (!(this.provider instanceof WardProvider)) throw new TypeError("Contract.at: the first argument must be a WardProvider or a Wallet");
    const view: Methods<(args?: unknown, options?: ViewOptions) => Promise<unknown>> = {};
    const call: Methods<(args?: unknown, options?: CallOptions) => Promise<CallResult>> = {};
    const simulate: Methods<(args?: unknown, options?: CallOptions) => Promise<SimulateResult>> = {};
    for (const m of this.codec.abi.methods) {
      view[m.name] = (args, options) => this.viewMethod(m.name, args, options);
      call[m.name] = (args, options) => this.callMethod(m.name, args, options);
      simulate[m.name] = (args, options) => this.simulateMethod(m.name, args, options);
    }
    this.view = Object.freeze(view);
    this.call = Object.freeze(call);
    this.simulate = Object.freeze(simulate);
  }

  /**
   * A contract at `address` with its ABI (an object, or the JSON text of
   * NAME.abi.json). With a Wallet it can also send; with a provider it reads.
   */
  static at(runner: WardProvider | Wallet, address: string, abi: Abi | string): Contract {
    return new Contract(runner, address, abi);
  }

  /** The ABI the node stored with the deploy (ward_getAbi). @throws WardError when there is none */
  static async fromNode(runner: WardProvider | Wallet, address: string): Promise<Contract> {
    const provider = isWallet(runner) ? runner.provider : runner;
    const abi = await provider.getAbi(address);
    if (abi === null) throw new WardError(`contract ${address} has no ABI on the node; pass it to Contract.at`);
    return new Contract(runner, address, typeof abi === "string" ? abi : stringifyJson(abi));
  }

  /** The same contract sending with `wallet`. */
  connect(wallet: Wallet): Contract {
    return new Contract(wallet, this.address, this.codec.abi);
  }

  async viewMethod(method: string, args?: unknown, options: ViewOptions = {}): Promise<unknown> {
    const input = this.codec.encodeArgs(method, args);
    const out: CallOutcome = await this.provider.call({
      to: this.address,
      method,
      args: input,
      from: options.from ?? this.wallet?.address,
      value: options.value,
      gas: options.gas,
    });
    if (out.status !== "ok") {
      throw new CallFailedError(`${method} ${out.status}${out.error ? `: ${out.error}` : ""}`, out.status, out);
    }
    return this.codec.decodeResult(method, out.result);
  }

  #needWallet(what: string): Wallet {
    if (!this.wallet) throw new WardError(`${what} needs a Wallet: Contract.at(wallet, ...) or contract.connect(wallet)`);
    return this.wallet;
  }

  async callMethod(method: string, args?: unknown, options: CallOptions = {}): Promise<CallResult> {
    const wallet = this.#needWallet(`call.${method}`);
    const input = this.codec.encodeArgs(method, args);
    const value = toU64(options.value ?? 0n, "value");
    this.codec.checkValue(method, value);
    const r = await wallet.send({ type: "call", contract: this.address, method, args: stringifyJson(input), value }, options);
    return { ...r, result: r.receipt ? this.codec.decodeResult(method, r.receipt.result) : undefined };
  }

  async simulateMethod(method: string, args?: unknown, options: CallOptions = {}): Promise<SimulateResult> {
    const from = this.wallet?.address;
    if (!from) throw new WardError(`simulate.${method} needs a Wallet (the sender of the dry run)`);
    const input = this.codec.encodeArgs(method, args);
    this.codec.checkValue(method, toU64(options.value ?? 0n, "value"));
    const fields: { from: string; action: { type: string; [k: string]: import("./json.js").Json }; gas_limit?: U64Like; gas_price?: U64Like } = {
      from,
      action: { type: "call", contract: this.address, method, args: input, value: toU64(options.value ?? 0n, "value") },
    };
    if (options.gasLimit !== undefined) fields.gas_limit = options.gasLimit;
    if (options.gasPrice !== undefined) fields.gas_price = options.gasPrice;
    const receipt = await this.provider.simulate(fields);
    if (receipt.status !== "ok") {
      throw new TxFailedError(`simulated ${method} ${receipt.status}${receipt.error ? `: ${receipt.error}` : ""}`, receipt, receipt.tx_hash);
    }
    return { receipt, result: this.codec.decodeResult(method, receipt.result), gasUsed: receipt.gas_used };
  }
}
