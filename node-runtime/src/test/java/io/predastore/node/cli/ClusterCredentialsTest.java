package io.predastore.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClusterCredentialsTest {
    @Test
    void shellQuote_singleQuotes_areClosedEscapedAndReopened() {
        assertThat(ClusterCommand.CredentialsCommand.shellQuote("plain")).isEqualTo("'plain'");
        assertThat(ClusterCommand.CredentialsCommand.shellQuote("it's $HOME")).isEqualTo("'it'\\''s $HOME'");
    }
}
