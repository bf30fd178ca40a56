// SPDX-License-Identifier: Apache-2.0
/**
 * The {@code dmarc} command line. It is a program, not an API, so it exports nothing; run it as
 * {@code java -jar dmarc.jar} (the executable jar is on the class path) or from the module path
 * with {@code java -p ... -m io.github.dmarcj.cli}.
 */
module io.github.dmarcj.cli {
  requires static org.jspecify;
  requires io.github.dmarcj.core;
  requires io.github.dmarcj.spf;
  requires io.github.dmarcj.dkim;
  requires io.github.dmarcj.report;
  requires io.github.dmarcj.milter;
  requires info.picocli;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires java.logging;
  requires java.sql;

  // picocli creates the commands and sets their annotated fields by reflection.
  opens io.github.dmarcj.cli to
      info.picocli;
}
