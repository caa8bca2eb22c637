package io.ward.sdk;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An event a contract emitted. In a receipt only {@code contract}, {@code name} and {@code data} are
 * set; from {@code ward_getEvents} and subscriptions the position fields are set too.
 *
 * @param contract the emitting contract
 * @param name the event name
 * @param data its JSON data (a private copy)
 * @param txHash the transaction, or null inside a receipt
 * @param height the block height, or null inside a receipt
 * @param position the transaction's position in the block, or null
 * @param index the event's index in the transaction, or null
 */
public record Event(Address contract, String name, JsonNode data, Hash txHash, Long height, Long position, Long index) {
  /** The data, copied (the record's own copy stays untouched). */
  @Override
  public JsonNode data() { return data.deepCopy(); }

  static Event fromJson(JsonNode j) {
    String w = "event";
    return new Event(Json.address(j, "contract", w), Json.text(j, "name", w), Json.copy(j.get("data")), Json.optHash(j, "tx_hash"),
        Json.optU64(j, "height", w), Json.optU64(j, "position", w), Json.optU64(j, "index", w));
  }
}
