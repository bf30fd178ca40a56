// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.ingest;

/**
 * Why one input was refused. The import of the other inputs goes on.
 *
 * @since 0.1.0
 */
public final class ImportException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The kinds of refusal. */
  public enum Reason {
    /** Empty, or no {@code feedback} element: not an aggregate report. */
    NOT_A_REPORT,
    /** Not well-formed XML. */
    MALFORMED_XML,
    /** The document has a DTD (refused: entity expansion, external entities). */
    DTD_FORBIDDEN,
    /** The {@code feedback} element is in a namespace other than none, RFC 7489's or RFC 9990's. */
    WRONG_NAMESPACE,
    /** A required field is missing, or a field is not what the schema allows (number, length). */
    INVALID_REPORT,
    /** More compressed bytes than {@link ImportLimits#maxCompressedBytes()}. */
    COMPRESSED_TOO_LARGE,
    /** More uncompressed bytes than {@link ImportLimits#maxUncompressedBytes()}. */
    UNCOMPRESSED_TOO_LARGE,
    /** The uncompressed size exceeds {@link ImportLimits#maxRatio()} times the compressed size. */
    RATIO_TOO_HIGH,
    /** A mail larger than {@link ImportLimits#maxMailBytes()}. */
    MAIL_TOO_LARGE,
    /** Elements nested deeper than {@link ImportLimits#maxDepth()}. */
    TOO_DEEP,
    /** More elements than {@link ImportLimits#maxElements()}. */
    TOO_MANY_ELEMENTS,
    /** An element's text is longer than {@link ImportLimits#maxTextLength()}. */
    TEXT_TOO_LONG,
    /** A damaged gzip or zip stream. */
    BAD_ARCHIVE,
    /** A mail that cannot be parsed as MIME. */
    BAD_MAIL,
    /** A mail without any attachment that holds a report. */
    NO_REPORT_IN_MAIL,
    /** The file cannot be read. */
    UNREADABLE
  }

  /** The kind of refusal. */
  private final Reason reason;

  /**
   * @param reason the kind of refusal
   * @param message what was wrong, for people
   */
  public ImportException(Reason reason, String message) {
    super(message);
    this.reason = java.util.Objects.requireNonNull(reason, "reason");
  }

  /**
   * @param reason the kind of refusal
   * @param message what was wrong, for people
   * @param cause the underlying failure
   */
  public ImportException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = java.util.Objects.requireNonNull(reason, "reason");
  }

  /**
   * The kind of refusal.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }
}
