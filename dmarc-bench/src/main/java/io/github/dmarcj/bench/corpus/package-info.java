// SPDX-License-Identifier: Apache-2.0
/**
 * The diverse-corpus benchmarks: {@link io.github.dmarcj.bench.corpus.DiverseCorpus} writes a
 * seeded corpus, {@link io.github.dmarcj.bench.corpus.CorpusCpuPerMessage} and {@link
 * io.github.dmarcj.bench.corpus.CorpusFloor} measure CPU per message over it.
 */
@NullMarked
package io.github.dmarcj.bench.corpus;

import org.jspecify.annotations.NullMarked;
