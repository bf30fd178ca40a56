// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchRequestTest {
  private static final JsonFactory JSON = new JsonFactory();

  private static BatchRequest parse(String line) throws BatchRequest.NotAnObject {
    return BatchRequest.parse(JSON, line);
  }

  @Test
  void readsEveryMemberAndSkipsUnknownOnes() throws Exception {
    BatchRequest r =
        parse(
            "{\"id\":\"a\",\"extra\":{\"deep\":[1,{\"x\":2}]},\"message\":\"m.eml\","
                + "\"zone\":[\"a.zone\",\"b.zone\"],\"clientIp\":\"192.0.2.1\",\"helo\":\"h.example\","
                + "\"mailFrom\":\"x@y.example\",\"now\":1700000000}");
    assertThat(r)
        .isEqualTo(
            new BatchRequest(
                "a",
                "m.eml",
                List.of("a.zone", "b.zone"),
                "a6:a.zone6:b.zone",
                "192.0.2.1",
                "h.example",
                "x@y.example",
                1700000000L,
                null));
  }

  @Test
  void scalarsAreTakenAsWrittenAndNullsAsAbsent() throws Exception {
    BatchRequest r =
        parse("{\"id\":42,\"message\":null,\"zone\":\"z.zone\",\"now\":1.7e9,\"helo\":true}");
    assertThat(r.id()).isEqualTo("42");
    assertThat(r.message()).isNull();
    assertThat(r.zones()).containsExactly("z.zone");
    assertThat(r.now()).isEqualTo(1_700_000_000L);
    assertThat(r.helo()).isEqualTo("true");
    assertThat(r.problem()).isNull();
    assertThat(parse("{}").zones()).isNull();
  }

  @Test
  void zoneValuesAsWrittenAreDistinctKeys() throws Exception {
    assertThat(parse("{\"zone\":\"a\"}").zoneKey())
        .isNotEqualTo(parse("{\"zone\":[\"a\"]}").zoneKey());
    assertThat(parse("{\"zone\":[\"a,b\"]}").zoneKey())
        .isNotEqualTo(parse("{\"zone\":[\"a\",\"b\"]}").zoneKey());
    assertThat(parse("{\"zone\":[\"a\"]}").zoneKey())
        .isEqualTo(parse("{ \"zone\" : [ \"a\" ] }").zoneKey());
  }

  @Test
  void wrongTypesAreProblemsOfTheRequest() throws Exception {
    assertThat(parse("{\"id\":\"x\",\"zone\":[\"a\",3]}").problem()).contains("\"zone\"");
    assertThat(parse("{\"zone\":{}}").problem()).contains("\"zone\"");
    assertThat(parse("{\"now\":\"yesterday\"}").problem()).contains("\"now\"");
    assertThat(parse("{\"now\":123456789012345678901234567890}").problem()).contains("\"now\"");
    assertThat(parse("{\"message\":[\"m.eml\"]}").problem())
        .isEqualTo("\"message\" must be a string");
    assertThat(parse("{\"id\":{\"a\":1},\"message\":\"m\"}").problem()).contains("\"id\"");
  }

  @Test
  void aLineThatIsNotOneObjectIsRefused() {
    for (String bad :
        List.of("not json", "[1,2]", "\"s\"", "{\"id\":1} {\"id\":2}", "{\"id\":", "")) {
      assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(BatchRequest.NotAnObject.class);
    }
  }
}
