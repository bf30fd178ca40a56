// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.dmarcj.fuzz.FuzzBounds;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

/** Fuzzes one request line of {@code dmarc verify --batch} and the client address in it. */
@Tag("fuzz")
final class BatchRequestFuzzTest {
  @FuzzTest(maxDuration = "5m")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void parse_anyLine_requestOrNotAnObject(byte[] input) {
    String line = new String(input, StandardCharsets.UTF_8);
    BatchRequest req =
        FuzzBounds.allocationBounded(
            input.length,
            64,
            () -> {
              try {
                return BatchRequest.parse(VerifyJson.FACTORY, line);
              } catch (BatchRequest.NotAnObject e) {
                assertThat(e.getMessage()).isNotEmpty();
                return null;
              }
            });
    if (req == null) {
      return;
    }
    assertThat(req.zoneKey()).isNotNull();
    if (req.problem() != null) {
      assertThat(req.problem()).isNotEmpty();
      return;
    }
    if (req.zones() != null) {
      assertThat(req.zones()).doesNotContainNull();
    }
    if (req.clientIp() != null) {
      VerifyCommand.parseIp(req.clientIp()); // a literal or null, never a lookup or a throw
    }
    // Written back as JSON, the request reads the same.
    BatchRequest again;
    try {
      again = BatchRequest.parse(VerifyJson.FACTORY, render(req));
    } catch (BatchRequest.NotAnObject e) {
      throw new AssertionError("rendered request does not parse: " + e.getMessage(), e);
    }
    assertThat(again.id()).isEqualTo(req.id());
    assertThat(again.message()).isEqualTo(req.message());
    assertThat(again.zones()).isEqualTo(req.zones());
    assertThat(again.clientIp()).isEqualTo(req.clientIp());
    assertThat(again.helo()).isEqualTo(req.helo());
    assertThat(again.mailFrom()).isEqualTo(req.mailFrom());
    assertThat(again.now()).isEqualTo(req.now());
    assertThat(again.problem()).isNull();
  }

  private static String render(BatchRequest r) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = VerifyJson.FACTORY.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("id", r.id());
      g.writeStringField("message", r.message());
      if (r.zones() != null) {
        g.writeArrayFieldStart("zone");
        for (String z : r.zones()) {
          g.writeString(z);
        }
        g.writeEndArray();
      }
      g.writeStringField("clientIp", r.clientIp());
      g.writeStringField("helo", r.helo());
      g.writeStringField("mailFrom", r.mailFrom());
      if (r.now() != null) {
        g.writeNumberField("now", r.now());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }
}
