package io.ward.sdk;

/** Whether a deployed module may use floating-point instructions (docs/tx-format.md, deploy {@code float_policy}). */
public enum FloatPolicy {
  /** Encoded as 0. */
  ALLOW,
  /** Encoded as 1. */
  DENY;

  /** "allow" or "deny", as the JSON views and test vectors write it. */
  public String jsonName() { return this == ALLOW ? "allow" : "deny"; }
}
