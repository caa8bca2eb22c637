package io.ward.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The outcome of an included (or simulated) transaction, in the one shape of docs/rpc.md "Receipts".
 * Every included transaction pays its fee, whatever its status.
 *
 * @param txHash the transaction
 * @param height the block, or null for a simulation
 * @param position position in the block, or null for a simulation
 * @param from the sender
 * @param kind transfer, deploy, call, upgrade or destroy
 * @param status ok, reverted, trapped or failed
 * @param result the method's JSON result (JSON null when none)
 * @param gasUsed gas used
 * @param gasPrice gas price paid
 * @param fee gasUsed times gasPrice
 * @param events the events emitted (none when the status is not ok)
 * @param error why it did not end ok, or null
 * @param contract the target (for a deploy, the new contract), or null
 * @param codeHash code hash of a deploy or upgrade, or null
 * @param exitCode the exit code, or null
 * @param codeWasNew for a deploy or upgrade, whether the code was new to the chain, else null
 */
public record Receipt(Hash txHash, Long height, Long position, Address from, String kind, String status, JsonNode result, long gasUsed,
                      long gasPrice, long fee, List<Event> events, String error, Address contract, Hash codeHash, Long exitCode,
                      Boolean codeWasNew) {
  /** Whether the status is "ok". */
  public boolean ok() { return "ok".equals(status); }

  /** The result, copied. */
  @Override
  public JsonNode result() { return result.deepCopy(); }

  static Receipt fromJson(JsonNode j) {
    String w = "receipt";
    JsonNode exit = j.get("exit_code");
    return new Receipt(Json.hash(j, "tx_hash", w), Json.optU64(j, "height", w), Json.optU64(j, "position", w), Json.address(j, "from", w),
        Json.text(j, "kind", w), Json.text(j, "status", w), Json.copy(j.get("result")), Json.u64(j, "gas_used", w),
        Json.u64(j, "gas_price", w), Json.u64(j, "fee", w), Json.list(j.get("events"), w + ".events", Event::fromJson),
        Json.optText(j, "error"), Json.optAddress(j, "contract"), Json.optHash(j, "code_hash"),
        exit == null || exit.isNull() ? null : exit.asLong(), j.hasNonNull("code_was_new") ? j.get("code_was_new").asBoolean() : null);
  }
}
