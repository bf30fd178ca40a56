// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One request line of {@code dmarc verify --batch}, read with the streaming parser: a flat JSON
 * object whose unknown members are skipped.
 *
 * @param id the request's {@code id} as text, or {@code null}
 * @param zones the zone file paths as written; {@code null} when the member is absent or null
 * @param zoneKey the "zone" member as written, to recognise repeated values cheaply
 * @param problem what makes the request unusable, or {@code null}
 */
record BatchRequest(
    @Nullable String id,
    @Nullable String message,
    @Nullable List<String> zones,
    String zoneKey,
    @Nullable String clientIp,
    @Nullable String helo,
    @Nullable String mailFrom,
    @Nullable Long now,
    @Nullable String problem) {

  /** Thrown for a line that is not one JSON object. */
  static final class NotAnObject extends Exception {
    private static final long serialVersionUID = 1L;

    NotAnObject(String message) {
      super(message);
    }
  }

  static BatchRequest parse(JsonFactory json, String line) throws NotAnObject {
    try (JsonParser p = json.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new NotAnObject("a request must be a JSON object");
      }
      String id = null;
      String message = null;
      List<String> zones = null;
      String zoneKey = "";
      String clientIp = null;
      String helo = null;
      String mailFrom = null;
      Long now = null;
      String problem = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (t.isStructStart() && STRINGS.contains(name)) {
          problem = first(problem, "\"" + name + "\" must be a string");
          p.skipChildren();
          continue;
        }
        switch (name) {
          case "id" -> id = scalar(p, t);
          case "message" -> message = scalar(p, t);
          case "clientIp" -> clientIp = scalar(p, t);
          case "helo" -> helo = scalar(p, t);
          case "mailFrom" -> mailFrom = scalar(p, t);
          case "now" -> {
            if (t == JsonToken.VALUE_NUMBER_INT
                && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
              now = p.getLongValue();
            } else if (t == JsonToken.VALUE_NUMBER_FLOAT && Math.abs(p.getDoubleValue()) < 9.2e18) {
              now = (long) p.getDoubleValue();
            } else if (t != JsonToken.VALUE_NULL) {
              problem = first(problem, "\"now\" must be seconds since 1970");
              p.skipChildren();
            }
            if (now != null && !Epoch.valid(now)) {
              problem =
                  first(
                      problem,
                      "\"now\" must be seconds since 1970 " + Epoch.RANGE + ", was " + now);
              now = null;
            }
          }
          case "zone" -> {
            if (t == JsonToken.VALUE_STRING) {
              zones = List.of(p.getText());
              zoneKey = "s" + p.getText();
            } else if (t == JsonToken.START_ARRAY) {
              List<String> z = new ArrayList<>();
              StringBuilder key = new StringBuilder("a");
              while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == JsonToken.VALUE_STRING) {
                  z.add(p.getText());
                  key.append(p.getText().length()).append(':').append(p.getText());
                } else {
                  problem = first(problem, "\"zone\" must be a path or a list of paths");
                  p.skipChildren();
                }
              }
              zones = z;
              zoneKey = key.toString();
            } else if (t != JsonToken.VALUE_NULL) {
              problem = first(problem, "\"zone\" must be a path or a list of paths");
              p.skipChildren();
            }
          }
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw new NotAnObject("not JSON: more after the request object");
      }
      return new BatchRequest(id, message, zones, zoneKey, clientIp, helo, mailFrom, now, problem);
    } catch (JsonProcessingException e) {
      throw new NotAnObject("not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new NotAnObject("not JSON: " + e.getMessage()); // a string source does not fail
    }
  }

  /** Members whose value is text; a number or boolean is taken as written. */
  private static final java.util.Set<String> STRINGS =
      java.util.Set.of("id", "message", "clientIp", "helo", "mailFrom");

  /** The text of a scalar member, or {@code null} for JSON null. */
  private static @Nullable String scalar(JsonParser p, JsonToken t) throws IOException {
    return t == JsonToken.VALUE_NULL ? null : p.getText();
  }

  private static String first(@Nullable String existing, String problem) {
    return existing != null ? existing : problem;
  }
}
