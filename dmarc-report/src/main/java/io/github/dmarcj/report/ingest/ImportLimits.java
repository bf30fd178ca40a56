// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.ingest;

/**
 * The bounds one input must stay within; beyond any of them the input is refused with the matching
 * {@link ImportException.Reason} and the import goes on with the next one.
 *
 * @param maxCompressedBytes the most bytes of one report as received: the file, the gzip or zip
 *     bytes, or the decoded attachment of a mail (default 50 MB)
 * @param maxUncompressedBytes the most XML bytes one input may expand to, all zip entries together
 *     (default 500 MB)
 * @param maxRatio the most uncompressed bytes per compressed byte (default 100)
 * @param ratioThreshold below this many uncompressed bytes the ratio is not checked (default 1 MB)
 * @param maxMailBytes the most bytes of one mail, in a file or in an mbox (default 100 MB)
 * @param maxDepth the deepest element nesting (default 64)
 * @param maxElements the most elements in one document (default 10 000 000)
 * @param maxTextLength the most characters of one element's text (default 1 048 576)
 * @since 0.1.0
 */
public record ImportLimits(
    long maxCompressedBytes,
    long maxUncompressedBytes,
    long maxRatio,
    long ratioThreshold,
    long maxMailBytes,
    int maxDepth,
    long maxElements,
    int maxTextLength) {
  /**
   * Checks that every bound is positive.
   *
   * @param maxCompressedBytes see the record
   * @param maxUncompressedBytes see the record
   * @param maxRatio see the record
   * @param ratioThreshold see the record
   * @param maxMailBytes see the record
   * @param maxDepth see the record
   * @param maxElements see the record
   * @param maxTextLength see the record
   */
  public ImportLimits {
    if (maxCompressedBytes <= 0
        || maxUncompressedBytes <= 0
        || maxRatio <= 0
        || ratioThreshold < 0
        || maxMailBytes <= 0
        || maxDepth <= 0
        || maxElements <= 0
        || maxTextLength <= 0) {
      throw new IllegalArgumentException("import limits must be positive");
    }
  }

  /**
   * The defaults: 50 MB compressed, 500 MB uncompressed, ratio 100 beyond 1 MB, 100 MB per mail,
   * depth 64, 10 million elements, 1 MiB of text per element.
   *
   * @return the default limits
   */
  public static ImportLimits defaults() {
    return new ImportLimits(
        50_000_000L, 500_000_000L, 100, 1_000_000L, 100_000_000L, 64, 10_000_000L, 1 << 20);
  }
}
