package io.ward.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The worked example of docs/state-tree.md: the state {"a": "1", "b": "2", "c": "3"}. */
class ProofTest {
  static final Hash ROOT = Hash.of("0x8e2a164a410203f51300d7c6645b7a37f549768457be109acc126c63573a9e0a");
  static final Hash LEAF_A = Hash.of("0x565388d4bc00257133f799d9366ac97f6e949c18acc53d17457f8859ba0f08d3");
  static final Hash LEAF_C = Hash.of("0x6dc4a0fe4285844b9c64ba063f6a8b808a07eb2e8c124cda2babd55a2a7f3d24");
  static final Hash H001 = Hash.of("0x44ebb3d0f7604913f94789f54965210118cb621490e4279a2f512ea8ecf280a4");
  static final Hash ZERO = Hash.of(new byte[32]);

  static byte[] b(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

  static final String PROOF_B = """
      {"key": "0x62", "value": "0x32",
       "key_hash": "0x3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d",
       "siblings": ["0x565388d4bc00257133f799d9366ac97f6e949c18acc53d17457f8859ba0f08d3",
                    "0x0000000000000000000000000000000000000000000000000000000000000000",
                    "0x0000000000000000000000000000000000000000000000000000000000000000",
                    "0x6dc4a0fe4285844b9c64ba063f6a8b808a07eb2e8c124cda2babd55a2a7f3d24"],
       "leaf": {"key_hash": "0x3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d",
                "value_hash": "0xd4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f90da3a666eec13ab35"}}""";

  @Test
  void inclusionOfB() {
    StateProof p = StateProof.fromJson(Json.parse(PROOF_B));
    assertTrue(p.verify(ROOT));
    assertTrue(p.verify(ROOT, b("b"), Optional.of(b("2"))));
    assertFalse(p.verify(ROOT, b("b"), Optional.of(b("3"))), "wrong value");
    assertFalse(p.verify(ROOT, b("b"), Optional.empty()), "claims absence of a present key");
    assertFalse(p.verify(LEAF_A, b("b"), Optional.of(b("2"))), "wrong root");
  }

  @Test
  void exclusionByAnotherLeaf() {
    // e shares the first 4 bits with b: b's leaf ends e's path.
    StateProof p = StateProof.fromJson(Json.parse(PROOF_B));
    assertTrue(p.verify(ROOT, b("e"), Optional.empty()));
    assertFalse(p.verify(ROOT, b("e"), Optional.of(b("5"))));
    // a's path starts with 1, so b's leaf cannot end it.
    assertFalse(p.verify(ROOT, b("a"), Optional.empty()));
  }

  @Test
  void exclusionByEmptySlot() {
    StateProof p = new StateProof(Bytes.of(b("d")), Optional.empty(), List.of(LEAF_A, ZERO, H001), Optional.empty());
    assertTrue(p.verify(ROOT, b("d"), Optional.empty()));
    assertFalse(p.verify(ROOT, b("d"), Optional.of(b("4"))));
  }

  @Test
  void emptyState() {
    StateProof p = new StateProof(Bytes.of(b("x")), Optional.empty(), List.of(), Optional.empty());
    assertTrue(p.verify(ZERO, b("x"), Optional.empty()));
    assertFalse(p.verify(ROOT, b("x"), Optional.empty()));
  }

  @Test
  void singleEntryRootIsItsLeaf() {
    StateProof p = new StateProof(Bytes.of(b("a")), Optional.of(Bytes.of(b("1"))), List.of(),
        Optional.of(new StateProof.Leaf(Hash.sha256(b("a")), Hash.sha256(b("1")))));
    assertTrue(p.verify(LEAF_A));
    assertEquals(LEAF_C, LEAF_C);
  }
}
