package io.ward.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The answer of {@code ward_getProof}: a key's value (or absence) at a height, with its proof.
 * Check {@code stateRoot} against the block header at {@code height} (see {@link WardClient#verifiedProof}).
 *
 * @param height the head it was read at
 * @param stateRoot the state root of that head
 * @param key the key
 * @param value its value, or empty when absent
 * @param proof the proof of docs/state-tree.md
 */
public record ProofResult(long height, Hash stateRoot, Bytes key, Optional<Bytes> value, StateProof proof) {
  /** Whether the proof shows {@code value} for {@code key} under {@code stateRoot}. */
  public boolean verify() { return proof.verify(stateRoot, key.toArray(), value.map(Bytes::toArray)); }

  static ProofResult fromJson(JsonNode j) {
    String w = "ward_getProof";
    String value = Json.optText(j, "value");
    return new ProofResult(Json.u64(j, "height", w), Json.hash(j, "state_root", w), Bytes.fromHex(Json.text(j, "key", w)),
        value == null ? Optional.empty() : Optional.of(Bytes.fromHex(value)), StateProof.fromJson(Json.field(j, "proof", w)));
  }
}
