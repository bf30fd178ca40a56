// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.w3c.dom.Document;

/**
 * The aggregate-report schemas from dmarc-core's test-jar ({@code
 * dmarc-core/src/test/resources/dmarc-xsd}, see SOURCE.md there).
 */
final class Xsd {
  private Xsd() {}

  /** The RFC 9990 schema (draft-ietf-dmarc-aggregate-reporting XSD 0.2), as published. */
  static Schema rfc9990() throws Exception {
    try (InputStream in = Xsd.class.getResourceAsStream("/dmarc-xsd/dmarc-xml-0.2.xsd")) {
      return factory().newSchema(new StreamSource(in));
    }
  }

  /**
   * The RFC 7489 Appendix C schema. As published it does not compile (its targetNamespace has no
   * matching default namespace, see SOURCE.md); it is loaded with the targetNamespace attribute
   * removed in memory, which makes it a schema for documents without a namespace. The file is not
   * changed.
   */
  static Schema rfc7489() throws Exception {
    String text;
    try (InputStream in = Xsd.class.getResourceAsStream("/dmarc-xsd/rfc7489-appendix-c.xsd")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String patched = text.replace("targetNamespace=\"http://dmarc.org/dmarc-xml/0.1\"", "");
    return factory()
        .newSchema(
            new StreamSource(new ByteArrayInputStream(patched.getBytes(StandardCharsets.UTF_8))));
  }

  private static SchemaFactory factory() {
    SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
    return f;
  }

  static void validate(Schema schema, byte[] xml) throws Exception {
    schema.newValidator().validate(new StreamSource(new ByteArrayInputStream(xml)));
  }

  static Document parse(byte[] xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
  }
}
