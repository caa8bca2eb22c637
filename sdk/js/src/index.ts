// @ward/sdk: the public API.
export { toHex, to0x, fromHex, utf8, fromUtf8, concat, equalBytes, u64be, readU64be } from "./bytes.js";
export { parseJson, stringifyJson, type Json } from "./json.js";
export * from "./types.js";
export * from "./errors.js";
export * from "./tx.js";
export { Ed25519Signer, addressOf, contractAddress, verifyEd25519, verifyTransaction } from "./keys.js";
export * from "./rpc-types.js";
export {
  WardProvider,
  normalizeReceipt,
  type ProviderOptions,
  type BlockSelector,
  type SubscriptionFilter,
  type Subscription,
  type SubscribeOptions,
  type TxFields,
} from "./provider.js";
export type { WebSocketConstructor, WebSocketLike } from "./ws.js";
export {
  Wallet,
  NonceManager,
  TRANSFER_GAS,
  DEFAULT_GAS_LIMIT,
  type WalletOptions,
  type SendOptions,
  type TxResult,
  type DeployOptions,
  type DeployResult,
} from "./wallet.js";
export { Contract, type ViewOptions, type CallOptions, type CallResult, type SimulateResult } from "./contract.js";
export { AbiCodec, parseAbi, type Abi, type AbiMethod, type AbiParam, type AbiStruct } from "./abi.js";
export { verifyProof, checkProof, balanceKey, getVerifiedState } from "./proof.js";
export { generateClient, type GenerateOptions } from "./codegen/generate.js";
