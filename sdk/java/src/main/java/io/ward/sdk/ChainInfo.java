package io.ward.sdk;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The answer of {@code ward_chainInfo} (docs/rpc.md).
 *
 * @param chainId the chain id transactions must carry
 * @param headHeight height of the head block
 * @param headHash hash of the head block
 * @param headTimeMs time of the head block, ms since the Unix epoch
 * @param genesisHash hash of the genesis block
 * @param nodeVersion the node's version text
 * @param minGasPrice the lowest gas price admitted
 * @param blockGasLimit the most gas (of transaction gas limits) in one block
 * @param producer the block producer's address
 * @param mempoolSize transactions waiting
 * @param halted whether the node halted on a storage fault
 * @param haltReason why, or null
 */
public record ChainInfo(String chainId, long headHeight, Hash headHash, long headTimeMs, Hash genesisHash, String nodeVersion,
                        long minGasPrice, long blockGasLimit, Address producer, long mempoolSize, boolean halted, String haltReason) {
  static ChainInfo fromJson(JsonNode j) {
    String w = "ward_chainInfo";
    return new ChainInfo(Json.text(j, "chain_id", w), Json.u64(j, "head_height", w), Json.hash(j, "head_hash", w),
        Json.u64(j, "head_time_ms", w), Json.hash(j, "genesis_hash", w), Json.text(j, "node_version", w), Json.u64(j, "min_gas_price", w),
        Json.u64(j, "block_gas_limit", w), Json.address(j, "producer", w), Json.u64(j, "mempool_size", w), Json.bool(j, "halted", w),
        Json.optText(j, "halt_reason"));
  }
}
