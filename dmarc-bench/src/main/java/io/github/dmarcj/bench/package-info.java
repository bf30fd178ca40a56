// SPDX-License-Identifier: Apache-2.0
/**
 * JMH benchmarks. Build with {@code mvn -B -pl dmarc-bench -am package -DskipTests} and run {@code
 * java -jar dmarc-bench/target/benchmarks.jar}; see BENCHMARKS.md for the figures.
 */
@NullMarked
package io.github.dmarcj.bench;

import org.jspecify.annotations.NullMarked;
