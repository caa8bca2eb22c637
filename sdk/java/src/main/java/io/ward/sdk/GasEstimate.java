package io.ward.sdk;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The answer of {@code ward_estimateGas}.
 *
 * @param gasUsed gas the dry run used
 * @param status its status
 * @param error why it did not end ok, or null
 */
public record GasEstimate(long gasUsed, String status, String error) {
  static GasEstimate fromJson(JsonNode j) {
    return new GasEstimate(Json.u64(j, "gas_used", "ward_estimateGas"), Json.text(j, "status", "ward_estimateGas"), Json.optText(j, "error"));
  }
}
