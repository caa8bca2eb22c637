package io.ward.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A block of {@code ward_getBlock}, or a header of a {@code newHeads} subscription (then
 * {@code transactions} is empty).
 *
 * @param height its height
 * @param hash sha256 of the header bytes
 * @param parentHash the parent's hash
 * @param timeMs time, ms since the Unix epoch
 * @param producer the producer's address
 * @param txCount number of transactions
 * @param txRoot Merkle root over the transaction hashes
 * @param receiptsRoot Merkle root over the receipts
 * @param stateRoot root of the state tree after the block (docs/state-tree.md)
 * @param gasUsed gas used by its transactions
 * @param producerKey the producer's public key (hex), or null
 * @param signature the producer's signature (hex), or null
 * @param transactions hashes (or bodies, with fullTxs) of its transactions
 */
public record Block(long height, Hash hash, Hash parentHash, long timeMs, Address producer, long txCount, Hash txRoot, Hash receiptsRoot,
                    Hash stateRoot, long gasUsed, String producerKey, String signature, List<JsonNode> transactions) {
  static Block fromJson(JsonNode j) {
    String w = "block";
    return new Block(Json.u64(j, "height", w), Json.hash(j, "hash", w), Json.hash(j, "parent_hash", w), Json.u64(j, "time_ms", w),
        Json.address(j, "producer", w), Json.u64(j, "tx_count", w), Json.hash(j, "tx_root", w), Json.hash(j, "receipts_root", w),
        Json.hash(j, "state_root", w), Json.u64(j, "gas_used", w), Json.optText(j, "producer_key"), Json.optText(j, "signature"),
        Json.list(j.get("transactions"), w + ".transactions", JsonNode::deepCopy));
  }
}
