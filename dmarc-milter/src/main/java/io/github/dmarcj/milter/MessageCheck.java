// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.milter;

import io.github.dmarcj.authres.AuthservIdGuard;
import io.github.dmarcj.message.HeaderField;
import io.github.dmarcj.verify.MessageAuthenticator;
import io.github.dmarcj.verify.VerificationRequest;
import io.github.dmarcj.verify.VerificationResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One message on its way through the milter. The header fields and body chunks the MTA sends are
 * written, as they arrive, into a {@link BodyPipe} that a verification thread reads with the
 * facade's streaming {@link MessageAuthenticator#verifyAsync(VerificationRequest,
 * java.io.InputStream)}: the header is kept within the facade's limits, the body is hashed as it
 * streams, and nothing holds the whole message. Fields that claim this server's authserv-id are
 * left out of what is verified and remembered by name and occurrence, to be removed at the end.
 */
final class MessageCheck {
  private static final byte[] CRLF = {'\r', '\n'};

  /** A header field to remove: its name and its 1-based occurrence among fields of that name. */
  record Removal(String name, int index) {}

  private final BodyPipe pipe = new BodyPipe();
  private final CompletableFuture<VerificationResult> result = new CompletableFuture<>();
  private final AuthservIdGuard guard;
  private final List<Removal> removals = new ArrayList<>();
  private final Map<String, Integer> occurrences = new HashMap<>();
  private boolean started;
  private boolean headerEnded;
  private boolean stalled;

  MessageCheck(AuthservIdGuard guard) {
    this.guard = guard;
  }

  /** Starts the verification thread; the request carries the envelope and the RCPT TO domain. */
  void start(MessageAuthenticator authenticator, Executor executor, VerificationRequest request) {
    if (started) {
      return;
    }
    started = true;
    try {
      executor.execute(
          () -> {
            try {
              authenticator
                  .verifyAsync(request, pipe)
                  .whenComplete(
                      (r, e) -> {
                        if (e != null) {
                          result.completeExceptionally(e);
                        } else {
                          result.complete(r);
                        }
                      });
            } catch (IOException | RuntimeException e) {
              result.completeExceptionally(e);
            } finally {
              pipe.readerDone();
            }
          });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(e);
      pipe.readerDone();
    }
  }

  boolean started() {
    return started;
  }

  /**
   * Adds one header field as the MTA sent it: {@code value} is what follows the colon, with its
   * leading space when {@code leadingSpace} (SMFIP_HDR_LEADSPC), folded with LF or CRLF.
   */
  void header(String name, String value, boolean leadingSpace, long deadlineNanos)
      throws InterruptedException {
    String v = leadingSpace ? value : " " + value;
    String crlf = v.replace("\r\n", "\n").replace("\n", "\r\n");
    byte[] raw = (name + ":" + crlf + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    String key = name.toLowerCase(Locale.ROOT);
    int index = occurrences.merge(key, 1, Integer::sum);
    HeaderField field = new HeaderField(name, raw, name.length() + 1);
    if (guard.claimsOurs(field)) {
      removals.add(new Removal(name, index));
      return;
    }
    // the fields wait in the pipe: the reader is woken once, at the end of the header
    write(raw, 0, raw.length, deadlineNanos, false);
  }

  /** The end of the header: the empty line. */
  void endOfHeader(long deadlineNanos) throws InterruptedException {
    if (!headerEnded) {
      headerEnded = true;
      write(CRLF, 0, 2, deadlineNanos);
    }
  }

  /** A body chunk, in the MTA's CRLF form. */
  void body(byte[] chunk, long deadlineNanos) throws InterruptedException {
    endOfHeader(deadlineNanos);
    write(chunk, 0, chunk.length, deadlineNanos);
  }

  private void write(byte[] b, int off, int len, long deadlineNanos) throws InterruptedException {
    write(b, off, len, deadlineNanos, true);
  }

  private void write(byte[] b, int off, int len, long deadlineNanos, boolean wake)
      throws InterruptedException {
    if (stalled) {
      return;
    }
    if (!pipe.write(b, off, len, deadlineNanos, wake)) {
      stalled = true; // the verification thread stopped reading; the end of message falls back
      pipe.fail("the verification did not read the message in time");
    }
  }

  /** The message is complete; the returned future completes with the verdict. */
  CompletableFuture<VerificationResult> finish(long deadlineNanos) throws InterruptedException {
    endOfHeader(deadlineNanos);
    pipe.finish();
    return result;
  }

  /** The MTA gave up on the message (or the connection ended): the verification ends too. */
  void abort() {
    pipe.fail("message aborted");
  }

  /** {@return whether a body write ran out of time} */
  boolean stalled() {
    return stalled;
  }

  /** {@return the fields claiming our authserv-id, in arrival order} */
  List<Removal> removals() {
    return List.copyOf(removals);
  }
}
