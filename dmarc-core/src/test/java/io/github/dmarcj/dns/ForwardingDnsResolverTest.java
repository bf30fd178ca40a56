// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import static io.github.dmarcj.dns.TestZones.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

final class ForwardingDnsResolverTest {

  private final ZoneFileResolver zones = TestZones.resolver();

  @Test
  @DisplayName("a forwarding resolver passes every type through unchanged")
  void forwarding_passesEveryType() throws Exception {
    DnsResolver f = new ForwardingDnsResolver(zones) {};
    assertThat(join(f.txt("example.com"))).isEqualTo(join(zones.txt("example.com")));
    assertThat(join(f.a("example.com"))).isEqualTo(join(zones.a("example.com")));
    assertThat(join(f.aaaa("example.com"))).isEqualTo(join(zones.aaaa("example.com")));
    assertThat(join(f.mx("example.com"))).isEqualTo(join(zones.mx("example.com")));
    String rev = DnsNames.reverseName(InetAddress.getByName("192.0.2.1"));
    assertThat(join(f.ptr(rev))).isEqualTo(join(zones.ptr(rev)));
  }

  @Test
  @DisplayName("overriding one method injects a fault for one name")
  void forwarding_overrideOneMethod_faultForOneName() {
    DnsResolver flaky =
        new ForwardingDnsResolver(zones) {
          @Override
          public CompletionStage<DnsLookup<String>> txt(String name) {
            return name.equals("_dmarc.example.com")
                ? CompletableFuture.completedFuture(
                    DnsLookup.tempFail(TempFailReason.SERVFAIL, "test"))
                : super.txt(name);
          }
        };
    assertThat(join(flaky.txt("_dmarc.example.com")))
        .isEqualTo(DnsLookup.tempFail(TempFailReason.SERVFAIL, "test"));
    assertThat(join(flaky.txt("example.com"))).isInstanceOf(DnsLookup.Found.class);
  }

  @Test
  void forwarding_forwardHookSeesAllTypes() {
    AtomicInteger calls = new AtomicInteger();
    DnsResolver counting =
        new ForwardingDnsResolver(zones) {
          @Override
          protected <T> CompletionStage<DnsLookup<T>> forward(
              RecordType type,
              String name,
              Function<? super DnsResolver, ? extends CompletionStage<DnsLookup<T>>> call) {
            calls.incrementAndGet();
            return super.forward(type, name, call);
          }
        };
    counting.txt("a");
    counting.a("a");
    counting.aaaa("a");
    counting.mx("a");
    counting.ptr("a");
    assertThat(calls).hasValue(5);
  }

  @Test
  @DisplayName("the recording resolver lists queries in order, names as given")
  void recording_listsQueriesInOrder() {
    RecordingDnsResolver rec = new RecordingDnsResolver(zones);
    join(rec.txt("Example.com."));
    join(rec.mx("example.com"));
    join(rec.a("mx1.example.com"));
    assertThat(rec.queries())
        .containsExactly(
            new RecordingDnsResolver.Query(RecordType.TXT, "Example.com."),
            new RecordingDnsResolver.Query(RecordType.MX, "example.com"),
            new RecordingDnsResolver.Query(RecordType.A, "mx1.example.com"));
    assertThat(rec.count()).isEqualTo(3);
    assertThat(rec.count(RecordType.MX)).isEqualTo(1);
    assertThat(rec.describe()).isEqualTo("TXT Example.com.\nMX example.com\nA mx1.example.com");
    rec.clear();
    assertThat(rec.queries()).isEmpty();
  }

  @Test
  @DisplayName("fault rules: timeout, SERVFAIL, any reason; other queries pass")
  void faultInjecting_rules() {
    FaultInjectingDnsResolver dns =
        FaultInjectingDnsResolver.builder(zones)
            .timeout(RecordType.TXT, "_dmarc.example.com")
            .servfail(null, "Example.COM.")
            .fail(RecordType.A, "mx1.example.com", TempFailReason.REFUSED)
            .build();
    assertThat(reason(join(dns.txt("_DMARC.example.com")))).isEqualTo(TempFailReason.TIMEOUT);
    assertThat(reason(join(dns.txt("example.com")))).isEqualTo(TempFailReason.SERVFAIL);
    assertThat(reason(join(dns.mx("example.com")))).isEqualTo(TempFailReason.SERVFAIL);
    assertThat(reason(join(dns.a("mx1.example.com")))).isEqualTo(TempFailReason.REFUSED);
    assertThat(join(dns.txt("two-txt.example.com")).recordsOrEmpty()).hasSize(2);
    assertThat(join(dns.aaaa("mx1.example.com"))).isEqualTo(DnsLookup.noData(300));
  }

  @Test
  @DisplayName("a delay rule answers later, through the given executor")
  void faultInjecting_delay() {
    java.util.List<Runnable> queued = new java.util.ArrayList<>();
    Executor manual =
        r -> {
          synchronized (queued) {
            queued.add(r);
          }
        };
    FaultInjectingDnsResolver dns =
        FaultInjectingDnsResolver.builder(zones)
            .delay(RecordType.TXT, "example.com", Duration.ofMillis(1))
            .executor(manual)
            .build();
    CompletableFuture<DnsLookup<String>> f = dns.txt("example.com").toCompletableFuture();
    // the delayed executor hands the task to our executor after 1 ms
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (true) {
      synchronized (queued) {
        if (!queued.isEmpty() || System.nanoTime() > deadline) {
          break;
        }
      }
      Thread.onSpinWait();
    }
    assertThat(f).isNotDone();
    List<Runnable> tasks;
    synchronized (queued) {
      tasks = List.copyOf(queued);
    }
    tasks.forEach(Runnable::run);
    assertThat(f.join()).isEqualTo(join(zones.txt("example.com")));
  }

  @Test
  void faultInjecting_invalidName_rejected() {
    assertThatThrownBy(() -> FaultInjectingDnsResolver.builder(zones).timeout(RecordType.A, "a..b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a..b");
  }

  private static TempFailReason reason(DnsLookup<?> l) {
    assertThat(l).isInstanceOf(DnsLookup.TempFail.class);
    return ((DnsLookup.TempFail<?>) l).reason();
  }
}
