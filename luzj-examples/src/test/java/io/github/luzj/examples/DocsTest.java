package io.github.luzj.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The docs show code that compiles: the getting-started page holds GettingStarted.java's body. */
class DocsTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void gettingStartedShowsTheProgramAsItIs() throws Exception {
        String src = Files.readString(ROOT.resolve("luzj-examples/src/main/java/io/github/luzj/examples/GettingStarted.java"));
        String body = src.substring(src.indexOf("        DataLoader train"), src.lastIndexOf("        }\n    }\n}") + "        }\n".length());
        String dedented = body.lines().map(l -> l.length() >= 8 ? l.substring(8) : l.strip()).reduce("", (a, b) -> a + b + "\n");
        String doc = Files.readString(ROOT.resolve("docs/getting-started.md"));
        assertThat(doc).contains(dedented);
    }

    @Test
    void everyLocalLinkAndImageInTheDocsExists() throws Exception {
        Pattern link = Pattern.compile("\\]\\(([^)#:]+)(#[^)]*)?\\)");
        try (var files = Files.list(ROOT.resolve("docs"))) {
            for (Path md : files.filter(p -> p.toString().endsWith(".md")).toList()) {
                Matcher m = link.matcher(Files.readString(md));
                while (m.find()) {
                    Path target = md.getParent().resolve(m.group(1)).normalize();
                    assertThat(target).as("link in " + md.getFileName()).exists();
                }
            }
        }
        Matcher m = link.matcher(Files.readString(ROOT.resolve("README.md")));
        while (m.find()) {
            assertThat(ROOT.resolve(m.group(1)).normalize()).as("link in README.md").exists();
        }
    }
}
