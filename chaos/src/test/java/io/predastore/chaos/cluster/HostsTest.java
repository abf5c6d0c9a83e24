package io.predastore.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostsTest {
    @Test
    void denied_namespacesNotPermitted_isRecognised() {
        assertThat(IpCommand.denied("mount --make-shared /run/netns failed: Operation not permitted")).isTrue();
        assertThat(IpCommand.denied("RTNETLINK answers: Permission denied")).isTrue();
        assertThat(IpCommand.denied("Cannot find device \"eth9\"")).isFalse();
    }

    @Test
    void leftover_nameOfALiveRun_isKept() {
        String live = Hosts.NAME_PREFIX + Long.toString(ProcessHandle.current().pid(), 36) + "-0";
        assertThat(Hosts.leftover(live + "sw")).isFalse();
        assertThat(Hosts.leftover(live + "n3")).isFalse();
    }

    @Test
    void leftover_nameOfADeadRun_isRemoved() {
        // Pids are below 2^22 on Linux, so this one never runs.
        String dead = Hosts.NAME_PREFIX + Long.toString(Long.MAX_VALUE / 4, 36) + "-1";
        assertThat(Hosts.leftover(dead + "sw")).isTrue();
        assertThat(Hosts.leftover(dead + "up")).isTrue();
        assertThat(Hosts.leftover(dead + "n12")).isTrue();
    }

    @Test
    void leftover_someoneElsesName_isNeverTouched() {
        assertThat(Hosts.leftover("eth0")).isFalse();
        assertThat(Hosts.leftover("docker0")).isFalse();
        assertThat(Hosts.leftover("pdcabc")).isFalse();
        assertThat(Hosts.leftover("pdc1-0x")).isFalse();
        assertThat(Hosts.leftover("pdc1-0bridge")).isFalse();
    }
}
