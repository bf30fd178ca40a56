// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Keeps README.md's Java snippet in step with the compiled {@link Examples}. */
final class ReadmeTest {

  @Test
  @DisplayName("README's Java snippet is code that Examples.java compiles and runs")
  void readme_javaSnippet_isCompiledExampleCode() throws Exception {
    List<String> readme = Files.readAllLines(Path.of("..", "README.md"));
    Set<String> compiled =
        Files.readAllLines(
                Path.of(
                    "src", "test", "java", "io", "github", "dmarcj", "examples", "Examples.java"))
            .stream()
            .map(String::strip)
            .collect(Collectors.toSet());
    List<String> snippet = new ArrayList<>();
    boolean inJava = false;
    for (String line : readme) {
      if (line.strip().equals("```java")) {
        inJava = true;
      } else if (line.strip().startsWith("```")) {
        inJava = false;
      } else if (inJava && !line.isBlank()) {
        snippet.add(line.strip());
      }
    }
    assertThat(snippet).as("README has a Java snippet").hasSizeGreaterThan(5);
    assertThat(compiled).containsAll(snippet);
  }

  @Test
  @DisplayName("README's test command is the one .ci/run runs")
  void readme_testCommand_isWhatCiRuns() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    String ci = Files.readString(Path.of("..", ".ci", "run"));
    assertThat(readme).contains("```\nmvn -B verify\n```");
    assertThat(ci.lines().map(String::strip)).contains("mvn -B verify");
  }
}
