package io.predastore.node.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SshTargetTest {
    @Test
    void parsesUserHostAndPort() {
        assertThat(SshTarget.parse("admin@node1.example.com")).isEqualTo(new SshTarget("admin", "node1.example.com",
                22));
        assertThat(SshTarget.parse(" deploy@10.0.0.5:2222 ")).isEqualTo(new SshTarget("deploy", "10.0.0.5", 2222));
        assertThat(SshTarget.parse("root@[fd00::5]:2200")).isEqualTo(new SshTarget("root", "fd00::5", 2200));
        assertThat(SshTarget.parse("root@[::1]")).isEqualTo(new SshTarget("root", "::1", 22));
        assertThat(SshTarget.parse("Ops_2.x-y@Node-1.EXAMPLE.com").host()).isEqualTo("node-1.example.com");
    }

    @Test
    void printsWhatItParses_andTheKnownHostsName() {
        for (String text : new String[] {"admin@node1.example.com:22", "deploy@10.0.0.5:2222", "root@[fd00::5]:22",
                "root@[fd00::5]:2200"}) {
            assertThat(SshTarget.parse(text)).hasToString(text);
            assertThat(SshTarget.parse(SshTarget.parse(text).toString())).isEqualTo(SshTarget.parse(text));
        }
        assertThat(SshTarget.parse("a@h.example").knownHostsName()).isEqualTo("h.example");
        assertThat(SshTarget.parse("a@h.example:2222").knownHostsName()).isEqualTo("[h.example]:2222");
        assertThat(SshTarget.parse("a@[fd00::5]").knownHostsName()).isEqualTo("fd00::5");
        assertThat(SshTarget.parse("a@[fd00::5]:2222").knownHostsName()).isEqualTo("[fd00::5]:2222");
        assertThat(SshTarget.parse("a@[fd00::5]:2222").address()).isEqualTo("[fd00::5]:2222");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|got nothing",
        "node1.example.com|names no user",
        "@node1|has nothing before '@'",
        "admin@|has no host after '@'",
        "a@b@c|more than one '@'",
        "admin@node1:0|is '0', not a number from 1 to 65535",
        "admin@node1:65536|is '65536', not a number from 1 to 65535",
        "admin@node1:ssh|is 'ssh', not a number from 1 to 65535",
        "admin@node1:|is '', not a number from 1 to 65535",
        "admin@fd00::5|an IPv6 address goes in brackets",
        "admin@[fd00::5|never closes it",
        "admin@[fd00::5]2222|only :PORT may follow",
        "admin@[zz::1]|is not an IPv6 address",
        "-admin@node1|is not a user name",
        "ad min@node1|is not a user name",
        "admin@-node1|is not a host name",
        "admin@node_1|is not a host name",
        "admin@300.1.1.1|300 is above 255",
        "admin@1.2.3|is not an IPv4 address",
    })
    void refusesWhatIsNotATarget_sayingWhy(String text, String why) {
        assertThatThrownBy(() -> SshTarget.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why);
    }

    @Test
    void checksPortsMadeInCode() {
        assertThatThrownBy(() -> new SshTarget("a", "h", 0)).hasMessageContaining("not from 1 to 65535");
        assertThatThrownBy(() -> new SshTarget("a", "", 22)).hasMessageContaining("needs a host");
    }
}
