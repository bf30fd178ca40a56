// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.domain;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A Public Suffix List that can be replaced while in use: lookups read the current list, a reload
 * swaps in a new one atomically, and a reload that fails for any reason (timeout, HTTP error,
 * oversized or invalid list) keeps the list in use. The list changes often; RFC 7489 §3.2 leaves
 * how to keep it current to the receiver.
 *
 * <pre>{@code
 * ReloadablePublicSuffixList psl = ReloadablePublicSuffixList.builder().build(); // starts bundled
 * PublicSuffixListLoad load =
 *     psl.reload(URI.create("https://publicsuffix.org/list/public_suffix_list.dat"));
 * OrganizationalDomainFinder finder = psl.organizationalDomainFinder();
 * }</pre>
 *
 * <p>Fetches use {@link HttpClient}; the whole fetch, body included, is bounded by {@link
 * Builder#timeout(Duration)} and the body by {@link Builder#maxBytes(int)}. Nothing is scheduled
 * here: call {@link #reload(URI)} from the application's own timer. Thread-safe.
 *
 * @since 0.1.0
 */
public final class ReloadablePublicSuffixList {
  /** Default bound on one fetch, connection to last byte: 30 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final AtomicReference<PublicSuffixList> current;
  private final PublicSuffixList.Sections sections;
  private final HttpClient client;
  private final Duration timeout;
  private final int maxBytes;

  private ReloadablePublicSuffixList(Builder b) {
    this.sections = b.sections;
    this.current = new AtomicReference<>(b.initial.withSections(b.sections));
    this.timeout = b.timeout;
    this.maxBytes = b.maxBytes;
    this.client =
        b.client != null
            ? b.client
            : HttpClient.newBuilder()
                .connectTimeout(b.timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
  }

  /**
   * {@return a builder: bundled list, both sections, {@link #DEFAULT_TIMEOUT}, default size cap}
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the list in use now} */
  // NullAway: current is set in the constructor and only ever replaced by a list, never null.
  @SuppressWarnings("NullAway")
  public PublicSuffixList current() {
    return current.get();
  }

  /**
   * Puts {@code list} in use (restricted to this holder's sections).
   *
   * @param list the list to use from now on
   */
  public void replace(PublicSuffixList list) {
    current.set(list.withSections(sections));
  }

  /**
   * Fetches a list from an {@code http}, {@code https} or {@code file} URI and puts it in use if it
   * is valid; blocks until done or timed out.
   *
   * @param uri where to fetch the list
   * @return the new list, or why it was not taken
   * @throws IllegalArgumentException for another URI scheme
   */
  public PublicSuffixListLoad reload(URI uri) {
    return reloadAsync(uri).toCompletableFuture().join();
  }

  /**
   * Reads a list file (at most {@link Builder#maxBytes(int)} bytes) and puts it in use if valid.
   *
   * @param file the list file
   * @return the new list, or why it was not taken
   */
  public PublicSuffixListLoad reload(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return install(PublicSuffixList.read(in, file.toString(), maxBytes));
    } catch (IOException e) {
      return new PublicSuffixListLoad.Failed(PublicSuffixListLoad.Reason.IO_ERROR, e.toString());
    }
  }

  /**
   * Like {@link #reload(URI)}, without blocking. The stage never completes exceptionally.
   *
   * @param uri where to fetch the list
   * @return a stage that completes with the new list, or why it was not taken
   * @throws IllegalArgumentException for a URI scheme other than http, https or file
   */
  public CompletionStage<PublicSuffixListLoad> reloadAsync(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("file")) {
      return CompletableFuture.completedFuture(reload(Path.of(uri)));
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "public suffix list URI must be http, https or file: " + uri);
    }
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    String source = uri.toString();
    AtomicReference<CappedBody> subscriber = new AtomicReference<>();
    CompletableFuture<HttpResponse<Fetched>> exchange =
        client.sendAsync(
            request,
            info -> {
              CappedBody b = new CappedBody(info.statusCode(), maxBytes);
              subscriber.set(b);
              return b;
            });
    return exchange
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (response, error) -> {
              Fetched body;
              if (error == null) {
                body = response.body();
              } else {
                // Cancelling an unwanted body fails the exchange; the subscriber's answer stands.
                body = subscriber.get() == null ? null : subscriber.get().early();
                if (body == null) {
                  exchange.cancel(true);
                  return failure(error, source);
                }
              }
              if (body.status() != 200) {
                return new PublicSuffixListLoad.Failed(
                    PublicSuffixListLoad.Reason.HTTP_STATUS,
                    "HTTP " + body.status() + " from " + source);
              }
              if (body.bytes() == null) {
                return new PublicSuffixListLoad.Failed(
                    PublicSuffixListLoad.Reason.TOO_LARGE,
                    "more than " + maxBytes + " bytes from " + source);
              }
              return PublicSuffixList.parse(body.bytes(), source, Optional.empty());
            })
        .thenApply(this::install);
  }

  private PublicSuffixListLoad install(PublicSuffixListLoad load) {
    if (load instanceof PublicSuffixListLoad.Loaded l) {
      current.set(l.list().withSections(sections));
    }
    return load;
  }

  private static PublicSuffixListLoad failure(Throwable error, String source) {
    Throwable e =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (e instanceof TimeoutException || e instanceof HttpTimeoutException) {
      return new PublicSuffixListLoad.Failed(
          PublicSuffixListLoad.Reason.TIMEOUT, "timed out fetching " + source);
    }
    return new PublicSuffixListLoad.Failed(
        PublicSuffixListLoad.Reason.IO_ERROR, e + " fetching " + source);
  }

  /**
   * {@return an {@link OrganizationalDomainFinder} that uses whichever list is current at each
   * call; it answers at once with {@link DiscoveryMethod#PSL}}
   */
  public OrganizationalDomainFinder organizationalDomainFinder() {
    return domain -> {
      PublicSuffixList list = current();
      return CompletableFuture.completedFuture(
          new OrganizationalDomainOutcome.Found(
              list.organizationalDomain(domain), DiscoveryMethod.PSL, Optional.of(list.version())));
    };
  }

  /** Status and body of a response; {@code bytes} is null when the body exceeded the cap. */
  private record Fetched(int status, byte @Nullable [] bytes) {}

  /** Collects a response body up to a cap, cancelling the transfer past it. */
  private static final class CappedBody implements HttpResponse.BodySubscriber<Fetched> {
    private final int status;
    private final int max;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final CompletableFuture<Fetched> result = new CompletableFuture<>();
    private Flow.@Nullable Subscription subscription;

    CappedBody(int status, int max) {
      this.status = status;
      this.max = max;
    }

    /** The answer if this subscriber decided it before the body ended, else null. */
    @Nullable Fetched early() {
      return result.isDone() && !result.isCompletedExceptionally() ? result.join() : null;
    }

    @Override
    public CompletionStage<Fetched> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (status != 200) {
        // Decide before cancelling: the cancel may fail the exchange at once.
        result.complete(new Fetched(status, new byte[0]));
        s.cancel(); // the body of an error answer is not needed
        return;
      }
      s.request(1);
    }

    // NullAway: the Flow contract calls onSubscribe, which sets subscription, before onNext.
    @SuppressWarnings("NullAway")
    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : items) {
        int n = b.remaining();
        if (out.size() + (long) n > max) {
          result.complete(new Fetched(status, null));
          subscription.cancel();
          return;
        }
        byte[] chunk = new byte[n];
        b.get(chunk);
        out.write(chunk, 0, n);
      }
      subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(new Fetched(status, out.toByteArray()));
    }
  }

  /** Builds a {@link ReloadablePublicSuffixList}. */
  public static final class Builder {
    private PublicSuffixList initial = PublicSuffixList.bundled();
    private PublicSuffixList.Sections sections = PublicSuffixList.Sections.ALL;
    private @Nullable HttpClient client;
    private Duration timeout = DEFAULT_TIMEOUT;
    private int maxBytes = PublicSuffixList.DEFAULT_MAX_BYTES;

    private Builder() {}

    /**
     * The list in use until the first successful reload; default {@link
     * PublicSuffixList#bundled()}.
     *
     * @param list the list in use until the first successful reload
     * @return this builder
     */
    public Builder initial(PublicSuffixList list) {
      this.initial = Objects.requireNonNull(list, "list");
      return this;
    }

    /**
     * Which sections take part in matching; default {@link PublicSuffixList.Sections#ALL}.
     *
     * @param sections which sections take part in matching
     * @return this builder
     */
    public Builder sections(PublicSuffixList.Sections sections) {
      this.sections = Objects.requireNonNull(sections, "sections");
      return this;
    }

    /**
     * The HTTP client for fetches; default a new client with the timeout as connect timeout.
     *
     * @param client the HTTP client for fetches
     * @return this builder
     */
    public Builder httpClient(HttpClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Bound on one fetch from connection to last byte; default {@link #DEFAULT_TIMEOUT}.
     *
     * @param timeout bound on one fetch from connection to last byte
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Largest list accepted; default {@link PublicSuffixList#DEFAULT_MAX_BYTES}.
     *
     * @param maxBytes largest list accepted
     * @return this builder
     */
    public Builder maxBytes(int maxBytes) {
      PublicSuffixList.requirePositive(maxBytes);
      this.maxBytes = maxBytes;
      return this;
    }

    /** {@return the holder} */
    public ReloadablePublicSuffixList build() {
      return new ReloadablePublicSuffixList(this);
    }
  }
}
