// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import org.jspecify.annotations.Nullable;

/**
 * Streaming body canonicalization and hashing (RFC 6376 §3.4.3, §3.4.4, §3.4.5 and §3.7), over
 * bytes, never Java strings.
 *
 * <p>Bytes go in as they arrive ({@link #update}); canonical output goes straight into one or more
 * digests, each with its own {@code l=} limit, in runs as long as the input allows. Only the few
 * bytes whose fate depends on what follows (trailing empty lines, trailing whitespace, a CR at the
 * end of a chunk) are held back, as counters rather than copies, so memory use does not depend on
 * the body size.
 */
abstract class BodyHasher {
  private static final byte[] CRLFS = new byte[4096];
  private static final byte[] SP = {' '};
  private static final byte[] CR = {'\r'};

  static {
    for (int i = 0; i < CRLFS.length; i += 2) {
      CRLFS[i] = '\r';
      CRLFS[i + 1] = '\n';
    }
  }

  /** One digest with its length limit ({@code l=}), or {@code -1} for the whole body. */
  static final class Sink {
    final MessageDigest digest;
    final long limit;
    long hashed;

    Sink(MessageDigest digest, long limit) {
      this.digest = digest;
      this.limit = limit;
    }
  }

  private static final int DIRECT = 256;
  private final Sink[] sinks;
  private byte @Nullable [] stage;
  private int stageLen;

  /** Canonical body length so far (all of it, not only what was hashed). */
  private long canonicalLength;

  private final boolean fixLf;
  private boolean fixPendingCr;
  private byte @Nullable [] fixBuf;

  BodyHasher(Sink[] sinks, boolean fixBareLf) {
    this.sinks = sinks;
    this.fixLf = fixBareLf;
  }

  static BodyHasher create(DkimCanonicalization c, Sink[] sinks, boolean fixBareLf) {
    return c == DkimCanonicalization.SIMPLE
        ? new Simple(sinks, fixBareLf)
        : new Relaxed(sinks, fixBareLf);
  }

  /** The canonical body length, valid after {@link #finish()}. */
  final long canonicalLength() {
    return canonicalLength;
  }

  /** Feeds the next body bytes. */
  final void update(byte[] b, int off, int len) {
    if (len <= 0) {
      return;
    }
    if (!fixLf) {
      process(b, off, len);
      return;
    }
    // Optional pre-step (RFC 6376 §3.8): a LF not preceded by CR becomes CRLF.
    if (fixBuf == null || fixBuf.length < 2 * len) {
      fixBuf = new byte[Math.max(2 * len, 16384)];
    }
    int n = 0;
    boolean prevCr = fixPendingCr;
    for (int i = off, end = off + len; i < end; i++) {
      byte x = b[i];
      if (x == '\n' && !prevCr) {
        fixBuf[n++] = '\r';
      }
      fixBuf[n++] = x;
      prevCr = x == '\r';
    }
    fixPendingCr = prevCr;
    process(fixBuf, 0, n);
  }

  /** Ends the body: emits what was held back and the final CRLF the algorithm requires. */
  final void finish() {
    end();
    flushStage();
  }

  abstract void end();

  abstract void process(byte[] b, int off, int len);

  /**
   * Canonical output. Short pieces are staged and handed to the digests in larger blocks, since
   * each {@code MessageDigest.update} call has a fixed cost; long runs go straight through.
   */
  final void emit(byte[] b, int off, int len) {
    if (len <= 0) {
      return;
    }
    canonicalLength += len;
    if (len >= DIRECT) {
      flushStage();
      toSinks(b, off, len);
      return;
    }
    if (stage == null) {
      stage = new byte[2048];
    } else if (stageLen + len > stage.length) {
      flushStage();
    }
    System.arraycopy(b, off, stage, stageLen, len);
    stageLen += len;
  }

  // NullAway: stage is allocated before anything is staged (stageLen > 0).
  @SuppressWarnings("NullAway")
  private void flushStage() {
    if (stageLen > 0) {
      toSinks(stage, 0, stageLen);
      stageLen = 0;
    }
  }

  private void toSinks(byte[] b, int off, int len) {
    for (Sink s : sinks) {
      if (s.limit < 0) {
        s.digest.update(b, off, len);
      } else {
        long room = s.limit - s.hashed;
        if (room > 0) {
          int take = (int) Math.min(room, len);
          s.digest.update(b, off, take);
          s.hashed += take;
        }
      }
    }
  }

  final void emitCrlfs(long count) {
    while (count > 0) {
      int n = (int) Math.min(count, CRLFS.length / 2);
      emit(CRLFS, 0, 2 * n);
      count -= n;
    }
  }

  final void emitSpace() {
    emit(SP, 0, 1);
  }

  final void emitCr() {
    emit(CR, 0, 1);
  }

  /**
   * {@code simple} (§3.4.3): the body verbatim, except that a trailing run of CRLFs becomes a
   * single CRLF, and a CRLF is added if missing (so an empty body is CRLF).
   */
  static final class Simple extends BodyHasher {
    private long heldCrlfs;
    private boolean heldCr;

    Simple(Sink[] sinks, boolean fixBareLf) {
      super(sinks, fixBareLf);
    }

    @Override
    void process(byte[] b, int off, int len) {
      int e = off + len;
      boolean cr = false;
      long n = 0;
      if (b[e - 1] == '\r') {
        cr = true;
        e--;
      }
      while (e - off >= 2 && b[e - 2] == '\r' && b[e - 1] == '\n') {
        n++;
        e -= 2;
      }
      if (e == off) {
        // The whole chunk is (CRLF)* [CR].
        if (heldCr && (n > 0 || cr)) {
          // The held CR is followed by another CR: it is content.
          releaseHeld();
          heldCrlfs = n;
        } else {
          heldCrlfs += n;
        }
        heldCr = cr;
        return;
      }
      if (heldCr && e == off + 1 && b[off] == '\n') {
        // The held CR and this LF form a CRLF that continues the trailing run.
        heldCrlfs += 1 + n;
        heldCr = cr;
        return;
      }
      releaseHeld();
      emit(b, off, e - off);
      heldCrlfs = n;
      heldCr = cr;
    }

    private void releaseHeld() {
      emitCrlfs(heldCrlfs);
      if (heldCr) {
        emitCr();
      }
      heldCrlfs = 0;
      heldCr = false;
    }

    @Override
    void end() {
      if (heldCr) {
        releaseHeld();
      }
      emitCrlfs(1);
    }
  }

  /**
   * {@code relaxed} (§3.4.4): whitespace at line ends removed, runs of whitespace reduced to one
   * SP, trailing empty lines removed, CRLF added to a non-empty body that lacks it.
   */
  static final class Relaxed extends BodyHasher {
    private long heldCrlfs;
    private boolean heldWsp;
    private boolean heldCr;
    private boolean nonEmpty;

    Relaxed(Sink[] sinks, boolean fixBareLf) {
      super(sinks, fixBareLf);
    }

    private boolean holding() {
      return heldCrlfs != 0 || heldWsp || heldCr;
    }

    private static final VarHandle LONGS =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long SP8 = ONES * ' ';
    private static final long TAB8 = ONES * '\t';

    /**
     * High bit set in each byte of {@code t} that is zero (exact when none is; a byte just above a
     * zero byte may be flagged too, which only sends that spot to the byte-wise path).
     */
    private static long zeroBytes(long t) {
      return (t - ONES) & ~t & HIGHS;
    }

    private static boolean wspOrEol(byte c) {
      return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /**
     * Copy-through scan: in the middle of the body only whitespace can change (a TAB, a run of two
     * or more WSP, WSP before CRLF); line breaks and empty lines stay as they are. The trailing
     * whitespace and line breaks of a chunk go through {@link #slow} so they can be held until the
     * next chunk shows whether they end the body.
     */
    @Override
    void process(byte[] b, int off, int len) {
      final int end = off + len;
      int tail = end;
      while (tail > off && wspOrEol(b[tail - 1])) {
        tail--;
      }
      int i = holding() ? slow(b, off, end) : off;
      int run = i;
      while (i < tail) {
        // Eight bytes at a time while there is no TAB and no WSP followed by WSP or CR.
        while (i + 9 <= tail) {
          long x = (long) LONGS.get(b, i);
          long y = (long) LONGS.get(b, i + 1);
          long sp = zeroBytes(x ^ SP8);
          // Any byte below 0x21 after a SP (SP, TAB, CR, LF or a control) sends it to the
          // byte-wise path; only SP/TAB/CRLF there change anything, the rest pass unchanged.
          long next = (y - ONES * 0x21) & ~y & HIGHS;
          if ((zeroBytes(x ^ TAB8) | (sp & next)) != 0) {
            break;
          }
          i += 8;
        }
        if (i >= tail) {
          break;
        }
        int c = b[i] & 0xFF;
        if (c > ' ') {
          i++;
          continue;
        }
        if (c == ' ') {
          // Content follows somewhere before tail, so b[i + 1] and b[i + 2] exist.
          byte n = b[i + 1];
          if (n != ' ' && n != '\t' && !(n == '\r' && b[i + 2] == '\n')) {
            i += 2;
            continue;
          }
        } else if (c != '\t') {
          i++; // CR, LF and other controls are content here
          continue;
        }
        if (i > run) {
          emit(b, run, i - run);
          nonEmpty = true;
        }
        i = slow(b, i, end);
        run = i;
      }
      if (run < tail) {
        emit(b, run, tail - run);
        nonEmpty = true;
      }
      // The tail is whitespace and line breaks, except for bare LFs and lone CRs (content).
      for (int j = Math.max(tail, run); j < end; ) {
        j = slow(b, j, end);
        if (j < end) {
          emit(b, j, 1);
          nonEmpty = true;
          j++;
        }
      }
    }

    /**
     * Byte by byte through whitespace and line breaks, holding them; returns the index of the next
     * content byte (after releasing what is held before it) or {@code end}.
     */
    private int slow(byte[] b, int i, int end) {
      while (i < end) {
        byte c = b[i];
        if (heldCr) {
          if (c == '\n') {
            heldCr = false;
            heldWsp = false;
            heldCrlfs++;
            i++;
            continue;
          }
          // A CR not followed by LF is ordinary content.
          releaseHeld();
          emitCr();
          nonEmpty = true;
          continue;
        }
        if (c == ' ' || c == '\t') {
          heldWsp = true;
          i++;
        } else if (c == '\r') {
          heldCr = true;
          i++;
        } else {
          // Content (a bare LF counts as content): release what was held before it.
          releaseHeld();
          return i;
        }
      }
      return end;
    }

    /** Emits held CRLFs and a held whitespace run (as one SP) before content. */
    private void releaseHeld() {
      if (heldCrlfs > 0) {
        emitCrlfs(heldCrlfs);
        heldCrlfs = 0;
      }
      if (heldWsp) {
        emitSpace();
        heldWsp = false;
      }
      heldCr = false;
    }

    @Override
    void end() {
      if (heldCr) {
        releaseHeld();
        emitCr();
        nonEmpty = true;
      }
      if (nonEmpty) {
        emitCrlfs(1);
      }
    }
  }
}
