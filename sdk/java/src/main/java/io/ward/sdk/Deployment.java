package io.ward.sdk;

/**
 * A deployed contract.
 *
 * @param contract its address
 * @param receipt the deploy transaction's receipt
 */
public record Deployment(Address contract, Receipt receipt) {}
