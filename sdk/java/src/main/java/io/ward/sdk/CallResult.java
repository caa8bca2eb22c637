package io.ward.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The answer of a read-only call ({@code ward_call}): nothing was committed.
 *
 * @param status ok, reverted, trapped or failed
 * @param result the method's JSON result
 * @param gasUsed gas used
 * @param events events it would emit
 * @param error why it did not end ok, or null
 * @param height the head it ran at
 */
public record CallResult(String status, JsonNode result, long gasUsed, List<Event> events, String error, long height) {
  /** Whether the status is "ok". */
  public boolean ok() { return "ok".equals(status); }

  /** The result, copied. */
  @Override
  public JsonNode result() { return result.deepCopy(); }

  static CallResult fromJson(JsonNode j) {
    String w = "ward_call";
    return new CallResult(Json.text(j, "status", w), Json.copy(j.get("result")), Json.u64(j, "gas_used", w),
        Json.list(j.get("events"), w + ".events", Event::fromJson), Json.optText(j, "error"), Json.u64(j, "height", w));
  }
}
