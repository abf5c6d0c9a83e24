package io.predastore.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of the README and of docs/ points at a file that exists, and every page of docs/ is listed in
 * the README, so no page is linked that was never written and none is written that nobody can find.
 */
class DocsLinksTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** {@code [text](target)} where the target is a relative path (no scheme, no leading '#'). */
    private static final Pattern LINK = Pattern.compile("\\]\\((?![a-z]+:)([^)#\\s]+)(#[^)\\s]*)?\\)");

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    @Test
    void everyRelativeLink_pointsAtAnExistingFile() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            Matcher m = LINK.matcher(Files.readString(page));
            while (m.find()) {
                Path target = page.getParent().resolve(m.group(1)).normalize();
                if (!Files.exists(target)) {
                    broken.add(ROOT.relativize(page) + " -> " + m.group(1));
                }
            }
        }
        assertThat(broken).as("links to files that do not exist").isEmpty();
    }

    @Test
    void everyPageOfDocs_isListedInTheReadme() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        List<String> unlisted = new ArrayList<>();
        for (Path page : pages()) {
            String name = ROOT.relativize(page).toString().replace('\\', '/');
            if (name.startsWith("docs/") && !readme.contains("(" + name + ")")) {
                unlisted.add(name);
            }
        }
        assertThat(unlisted).as("pages of docs/ the README does not link").isEmpty();
    }
}
