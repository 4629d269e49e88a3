package org.allocator4j.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The "Test your own allocator" sections of this module's README and of the repository's README show the
 * example's source files verbatim, so they cannot rot.
 */
class ReadmeExampleTest {
    private static final Path EXAMPLE = Path.of("src/test/java/org/allocator4j/testkit/example");

    @ParameterizedTest
    @ValueSource(strings = {"MyAllocator.java", "MyAllocatorTest.java"})
    void readme_exampleSource_isShownVerbatim(String file) throws IOException {
        assertShownVerbatim(Path.of("README.md"), file);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MyAllocator.java", "MyAllocatorTest.java"})
    void repositoryReadme_exampleSource_isShownVerbatim(String file) throws IOException {
        assertShownVerbatim(Path.of("..", "README.md"), file);
    }

    /** The README pins the surefire version this build uses (2.12.4, Maven 3.8's default, runs no check). */
    @org.junit.jupiter.api.Test
    void readme_surefirePlugin_pinsThisBuildsVersionAndFailsOnNoTests() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String pom = Files.readString(Path.of("..", "pom.xml"));
        java.util.regex.Pattern plugin = java.util.regex.Pattern.compile(
                "<artifactId>maven-surefire-plugin</artifactId>\\s*<version>([^<]+)</version>");
        java.util.regex.Matcher built = plugin.matcher(pom);
        java.util.regex.Matcher shown = plugin.matcher(readme);
        assertTrue(built.find(), "no maven-surefire-plugin version in ../pom.xml");
        assertTrue(shown.find(), "README.md pins no maven-surefire-plugin version");
        org.junit.jupiter.api.Assertions.assertEquals(built.group(1), shown.group(1));
        assertTrue(readme.contains("<failIfNoTests>true</failIfNoTests>"), "README.md does not set failIfNoTests");
    }

    private static void assertShownVerbatim(Path readmeFile, String file) throws IOException {
        String readme = Files.readString(readmeFile).replace("\r\n", "\n");
        String source = Files.readString(EXAMPLE.resolve(file)).replace("\r\n", "\n");
        assertTrue(readme.contains("```java\n" + source + "```\n"),
                () -> readmeFile + " does not show " + EXAMPLE.resolve(file) + " verbatim in a ```java block");
    }
}
