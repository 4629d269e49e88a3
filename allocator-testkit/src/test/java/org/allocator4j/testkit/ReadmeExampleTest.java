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

    private static void assertShownVerbatim(Path readmeFile, String file) throws IOException {
        String readme = Files.readString(readmeFile).replace("\r\n", "\n");
        String source = Files.readString(EXAMPLE.resolve(file)).replace("\r\n", "\n");
        assertTrue(readme.contains("```java\n" + source + "```\n"),
                () -> readmeFile + " does not show " + EXAMPLE.resolve(file) + " verbatim in a ```java block");
    }
}
