// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dkim.DkimMessageVerifier;
import io.github.dmarcj.dkim.DkimSigner;
import io.github.dmarcj.dkim.DkimSigningKey;
import io.github.dmarcj.dmarc.DmarcEvaluator;
import io.github.dmarcj.dns.CachingDnsResolver;
import io.github.dmarcj.dns.FaultInjectingDnsResolver;
import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.dns.NetworkDnsResolver;
import io.github.dmarcj.dns.ZoneFileResolver;
import io.github.dmarcj.domain.ReloadablePublicSuffixList;
import io.github.dmarcj.milter.MilterConfig;
import io.github.dmarcj.milter.MilterServer;
import io.github.dmarcj.report.JdbcReportStore;
import io.github.dmarcj.report.failure.FailureReport;
import io.github.dmarcj.report.failure.FailureReportMail;
import io.github.dmarcj.report.failure.Redactor;
import io.github.dmarcj.spf.SpfChecker;
import io.github.dmarcj.verify.MessageAuthenticator;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A {@code null} given to any public builder method is the caller's mistake, and the exception says
 * which argument it was: a {@link NullPointerException} with a message, never a bare one from deep
 * inside.
 */
final class NullArgumentsTest {
  private static final InMemoryDnsResolver DNS = InMemoryDnsResolver.builder().build();

  static List<Supplier<Object>> builders() {
    DkimSigningKey key = DkimSigningKey.ed25519Seed(new byte[32]);
    return List.of(
        () -> DmarcEvaluator.builder(DNS),
        () -> CachingDnsResolver.builder(DNS),
        () -> FaultInjectingDnsResolver.builder(DNS),
        InMemoryDnsResolver::builder,
        NetworkDnsResolver::builder,
        ZoneFileResolver::builder,
        ReloadablePublicSuffixList::builder,
        () -> MessageAuthenticator.builder(DNS),
        () -> DkimMessageVerifier.builder(DNS),
        () -> io.github.dmarcj.dkim.ArcChainVerifier.builder(DNS),
        () -> DkimSigner.builder(key, "example.com", "sel"),
        () -> JdbcReportStore.builder("jdbc:h2:mem:nulls"),
        FailureReport::builder,
        () -> FailureReportMail.builder("reports@example.com", Redactor.unredacted()),
        () -> SpfChecker.builder(DNS),
        MilterConfig::builder,
        () -> MilterServer.builder(MilterConfig.builder().authservId("mx.example").build(), DNS));
  }

  private static Object typical(Class<?> t) {
    if (t == int.class) {
      return 2;
    }
    if (t == long.class) {
      return 2L;
    }
    if (t == boolean.class) {
      return false;
    }
    if (t == double.class) {
      return 1.0;
    }
    return null;
  }

  /** Where null has a documented meaning: class.method#argument. */
  private static final java.util.Set<String> NULL_ALLOWED =
      java.util.Set.of(
          "io.github.dmarcj.spf.SpfChecker$Builder.defaultExplanation#0",
          "io.github.dmarcj.dmarc.DmarcInput.of#1",
          "io.github.dmarcj.dmarc.DmarcInput.withFromProblem#2",
          "io.github.dmarcj.milter.MilterConfig$Builder.controlSocket#0",
          "io.github.dmarcj.milter.MilterConfig$Builder.reportDatabase#0");

  /** Every public class of the library's exported packages, from the build's class folders. */
  static List<Class<?>> apiClasses() throws Exception {
    List<Class<?>> out = new ArrayList<>();
    for (String module :
        List.of("dmarc-core", "dmarc-spf", "dmarc-dkim", "dmarc-report", "dmarc-milter")) {
      java.nio.file.Path root = java.nio.file.Path.of("..", module, "target", "classes");
      try (Stream<java.nio.file.Path> files = java.nio.file.Files.walk(root)) {
        for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
          String rel = root.relativize(f).toString().replace(java.io.File.separatorChar, '.');
          if (!rel.endsWith(".class")
              || rel.contains("module-info")
              || rel.contains("package-info")) {
            continue;
          }
          Class<?> c = Class.forName(rel.substring(0, rel.length() - 6));
          if (Modifier.isPublic(c.getModifiers())) {
            out.add(c);
          }
        }
      }
    }
    return out;
  }

  @TestFactory
  Stream<DynamicTest> everyPublicStaticMethod_null_namesTheArgument() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (Class<?> type : apiClasses()) {
      for (Method m : type.getDeclaredMethods()) {
        if (!Modifier.isPublic(m.getModifiers())
            || !Modifier.isStatic(m.getModifiers())
            || m.getName().equals("main")
            || m.getName().equals("valueOf")
            || m.isSynthetic()) {
          continue;
        }
        addNullCases(tests, type, m, null);
      }
    }
    return tests.stream();
  }

  private static void addNullCases(
      List<DynamicTest> tests, Class<?> type, Method m, Supplier<Object> target) {
    Class<?>[] params = m.getParameterTypes();
    for (int i = 0; i < params.length; i++) {
      if (params[i].isPrimitive()
          || NULL_ALLOWED.contains(type.getName() + "." + m.getName() + "#" + i)) {
        continue;
      }
      int nullAt = i;
      tests.add(
          DynamicTest.dynamicTest(
              type.getName() + "." + m.getName() + " arg " + i,
              () -> {
                Object[] args = new Object[params.length];
                for (int k = 0; k < params.length; k++) {
                  args[k] = k == nullAt ? null : typical(params[k]);
                }
                Throwable thrown = null;
                try {
                  m.invoke(target == null ? null : target.get(), args);
                } catch (InvocationTargetException e) {
                  thrown = e.getCause();
                }
                assertThat(thrown)
                    .as(type.getName() + "." + m.getName() + ": null accepted")
                    .isInstanceOf(NullPointerException.class);
                assertThat(thrown.getMessage())
                    .as(type.getName() + "." + m.getName() + ": message of " + thrown)
                    .isNotBlank();
              }));
    }
  }

  @TestFactory
  Stream<DynamicTest> everyBuilderMethod_null_namesTheArgument() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Supplier<Object> make : builders()) {
      Class<?> type = make.get().getClass();
      for (Method m : type.getMethods()) {
        if (m.getDeclaringClass() != type || Modifier.isStatic(m.getModifiers())) {
          continue;
        }
        addNullCases(tests, type, m, make);
      }
    }
    return tests.stream();
  }
}
