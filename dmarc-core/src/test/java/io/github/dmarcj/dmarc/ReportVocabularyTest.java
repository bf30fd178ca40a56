// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.domain.DiscoveryMethod;
import io.github.dmarcj.result.DmarcResult;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The evaluator's vocabulary against the aggregate report schemas (RFC 9990 Appendix A, RFC 7489
 * Appendix C; copied from the shared corpus with their SOURCE.md): every value a report can carry
 * for policies, alignment modes, override reasons, discovery methods and DMARC results has a
 * constant here with the same keyword.
 */
final class ReportVocabularyTest {

  /** The enumeration values of one simple type (the schema text is small and regular). */
  private static List<String> enumeration(String xsd, String type) throws Exception {
    String text;
    try (InputStream in = ReportVocabularyTest.class.getResourceAsStream("/dmarc-xsd/" + xsd)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Matcher block =
        Pattern.compile(
                "<xs:simpleType name=\"" + type + "\">(.*?)</xs:simpleType>", Pattern.DOTALL)
            .matcher(text);
    if (!block.find()) {
      throw new AssertionError(type + " not in " + xsd);
    }
    List<String> values = new ArrayList<>();
    Matcher en = Pattern.compile("<xs:enumeration value=\"([^\"]*)\"").matcher(block.group(1));
    while (en.find()) {
      values.add(en.group(1));
    }
    return values;
  }

  private static List<String> keywords(Enum<?>[] values) {
    List<String> out = new ArrayList<>();
    for (Enum<?> v : values) {
      try {
        out.add((String) v.getClass().getMethod("keyword").invoke(v));
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "dmarc-xml-0.2.xsd, PolicyOverrideType, OverrideReason",
    "rfc7489-appendix-c.xsd, PolicyOverrideType, OverrideReason",
    "dmarc-xml-0.2.xsd, DispositionType, DmarcPolicy",
    "rfc7489-appendix-c.xsd, DispositionType, DmarcPolicy",
    "dmarc-xml-0.2.xsd, AlignmentType, AlignmentMode",
    "rfc7489-appendix-c.xsd, AlignmentType, AlignmentMode",
    "dmarc-xml-0.2.xsd, DiscoveryType, DiscoveryMethod",
    "dmarc-xml-0.2.xsd, DMARCResultType, DmarcResult",
    "rfc7489-appendix-c.xsd, DMARCResultType, DmarcResult"
  })
  @DisplayName("RFC 9990 §3.1.6: report schema values all have a constant with that keyword")
  void schemaEnumeration_everyValue_hasConstant(String xsd, String type, String enumName)
      throws Exception {
    Enum<?>[] constants;
    switch (enumName) {
      case "OverrideReason":
        constants = OverrideReason.values();
        break;
      case "DmarcPolicy":
        constants = DmarcPolicy.values();
        break;
      case "AlignmentMode":
        constants = AlignmentMode.values();
        break;
      case "DiscoveryMethod":
        constants = DiscoveryMethod.values();
        break;
      default:
        constants = DmarcResult.values();
    }
    List<String> schema = enumeration(xsd, type);
    assertThat(schema).isNotEmpty();
    assertThat(keywords(constants)).as(Arrays.toString(constants)).containsAll(schema);
  }
}
