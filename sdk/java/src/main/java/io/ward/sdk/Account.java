package io.ward.sdk;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The answer of {@code ward_getAccount}.
 *
 * @param address the account
 * @param balance native balance (unsigned)
 * @param nonce the next nonce
 * @param height the head it was read at
 * @param contract the contract's details, or null for a plain account
 */
public record Account(Address address, long balance, long nonce, long height, ContractInfo contract) {
  /**
   * A contract's details.
   *
   * @param codeHash hash of its code
   * @param deployer who deployed it
   * @param admin who may upgrade or destroy it, null when immutable
   * @param status "active" or "destroyed"
   * @param createdAt height of its deployment
   */
  public record ContractInfo(Hash codeHash, Address deployer, Address admin, String status, long createdAt) {}

  static Account fromJson(JsonNode j) {
    String w = "ward_getAccount";
    JsonNode c = j.get("contract");
    ContractInfo info = c == null || c.isNull() ? null
        : new ContractInfo(Json.hash(c, "code_hash", w + ".contract"), Json.address(c, "deployer", w + ".contract"), Json.optAddress(c, "admin"),
            Json.text(c, "status", w + ".contract"), Json.u64(c, "created_at", w + ".contract"));
    return new Account(Json.address(j, "address", w), Json.u64(j, "balance", w), Json.u64(j, "nonce", w), Json.u64(j, "height", w), info);
  }
}
