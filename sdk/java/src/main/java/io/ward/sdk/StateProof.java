package io.ward.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Merkle proof that a key has a value, or none, in the state of a root (docs/state-tree.md).
 *
 * @param key the key the proof is about, as echoed by the node (verification uses the caller's key)
 * @param value the claimed value, or empty for an absence proof
 * @param siblings hashes beside the key's path, top-down (at most 256)
 * @param leaf the leaf the path ends in, or empty for an empty slot
 */
public record StateProof(Bytes key, Optional<Bytes> value, List<Hash> siblings, Optional<Leaf> leaf) {
  private static final byte[] ZERO = new byte[32];

  /**
   * A leaf of the tree.
   *
   * @param keyHash sha256 of its key
   * @param valueHash sha256 of its value
   */
  public record Leaf(Hash keyHash, Hash valueHash) {}

  public StateProof {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    siblings = List.copyOf(siblings);
    Objects.requireNonNull(leaf, "leaf");
  }

  /** Reads the proof JSON of docs/state-tree.md. */
  public static StateProof fromJson(JsonNode j) {
    String w = "proof";
    JsonNode leaf = j.get("leaf");
    String value = Json.optText(j, "value");
    return new StateProof(Bytes.fromHex(Json.text(j, "key", w)), value == null ? Optional.empty() : Optional.of(Bytes.fromHex(value)),
        Json.list(Json.field(j, "siblings", w), w + ".siblings", n -> Hash.of(n.asText())),
        leaf == null || leaf.isNull() ? Optional.empty()
            : Optional.of(new Leaf(Json.hash(leaf, "key_hash", w + ".leaf"), Json.hash(leaf, "value_hash", w + ".leaf"))));
  }

  /**
   * Verifies this proof for {@code key} having {@code value} (empty: being absent) against
   * {@code root}, by the algorithm of docs/state-tree.md "Verifying a proof".
   *
   * @return true exactly when the proof reaches the root
   */
  public boolean verify(Hash root, byte[] key, Optional<byte[]> value) {
    if (siblings.size() > 256) return false;
    byte[] kh = Address.sha256(key);
    int n = siblings.size();
    byte[] node;
    if (leaf.isPresent() && Arrays.equals(leaf.get().keyHash().bytes(), kh)) {
      if (value.isEmpty() || !Arrays.equals(Address.sha256(value.get()), leaf.get().valueHash().bytes())) return false;
      node = leafHash(leaf.get());
    } else if (leaf.isPresent()) {
      if (value.isPresent()) return false;
      byte[] other = leaf.get().keyHash().bytes();
      for (int i = 0; i < n; ++i) {
        if (bit(other, i) != bit(kh, i)) return false;
      }
      node = leafHash(leaf.get());
    } else {
      if (value.isPresent()) return false;
      node = ZERO;
    }
    for (int i = n - 1; i >= 0; --i) {
      byte[] s = siblings.get(i).bytes();
      node = bit(kh, i) == 0 ? Address.sha256(new byte[] {1}, node, s) : Address.sha256(new byte[] {1}, s, node);
    }
    return Arrays.equals(node, root.bytes());
  }

  /** Verifies the proof for the key and value it carries itself. */
  public boolean verify(Hash root) { return verify(root, key.toArray(), value.map(Bytes::toArray)); }

  private static byte[] leafHash(Leaf l) { return Address.sha256(new byte[] {0}, l.keyHash().bytes(), l.valueHash().bytes()); }

  private static int bit(byte[] h, int i) { return (h[i / 8] >> (7 - i % 8)) & 1; }
}
