// Typed errors. Every error the SDK throws on purpose is a WardError; the
// ones about a transaction carry its hash, known before it was sent.
import type { Json } from "./json.js";
import type { CallOutcome, Receipt } from "./rpc-types.js";
import type { Hash } from "./types.js";

export class WardError extends Error {
  override name = "WardError";
}

/** A JSON-RPC error answer of the node (docs/rpc.md, "Envelope and errors" and "Node errors"). */
export class RpcError extends WardError {
  override name = "RpcError";
  constructor(
    message: string,
    /** The JSON-RPC error code (-32602 invalid params, -32001 rejected, ...). */
    readonly code: number,
    /** The error's `data` member, or undefined when it had none. */
    readonly data?: Json,
    /** The method that was called. */
    readonly method?: string,
  ) {
    super(message);
  }
}

/**
 * The node refused the transaction at admission (-32001): it is not in the
 * mempool. `reason` is the mempool reason (`nonce_too_low`, `bad_signature`,
 * `insufficient_balance`, ... docs/node.md).
 */
export class TxRejectedError extends RpcError {
  override name = "TxRejectedError";
  constructor(
    message: string,
    readonly reason: string,
    readonly txHash: Hash | null,
    data?: Json,
  ) {
    super(message, -32001, data, "ward_sendTransaction");
  }
}

/**
 * The transaction was included but did not end `ok` (reverted, trapped or
 * failed); it used its nonce and paid its fee. Also thrown by simulate when
 * the dry run does not end `ok`.
 */
export class TxFailedError extends WardError {
  override name = "TxFailedError";
  constructor(
    message: string,
    readonly receipt: Receipt,
    readonly txHash: Hash,
  ) {
    super(message);
  }
}

/**
 * The outcome is not known within the time allowed: the transaction may
 * still be included. Poll `provider.getReceipt(txHash)` or
 * `provider.waitForReceipt(txHash)`.
 */
export class TxTimeoutError extends WardError {
  override name = "TxTimeoutError";
  constructor(
    message: string,
    readonly txHash: Hash,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A read-only call (`ward_call`, `contract.view.M`) that did not end `ok`. */
export class CallFailedError extends WardError {
  override name = "CallFailedError";
  constructor(
    message: string,
    readonly status: string,
    readonly outcome: CallOutcome,
  ) {
    super(message);
  }
}

/** The node could not be reached, answered something that is not JSON-RPC, or did not answer in time. */
export class TransportError extends WardError {
  override name = "TransportError";
  constructor(
    message: string,
    /** The HTTP status, when there was an answer. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Arguments or results that do not match the contract's ABI. */
export class AbiError extends WardError {
  override name = "AbiError";
}

/** A state proof that does not verify against the root. */
export class ProofError extends WardError {
  override name = "ProofError";
}
