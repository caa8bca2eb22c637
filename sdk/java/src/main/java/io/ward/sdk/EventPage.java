package io.ward.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One page of {@code ward_getEvents}.
 *
 * @param events the events, in order
 * @param cursor pass back to continue, or null when done
 * @param toHeight the last height covered
 */
public record EventPage(List<Event> events, String cursor, long toHeight) {
  static EventPage fromJson(JsonNode j) {
    return new EventPage(Json.list(j.get("events"), "ward_getEvents.events", Event::fromJson), Json.optText(j, "cursor"),
        Json.u64(j, "toHeight", "ward_getEvents"));
  }
}
