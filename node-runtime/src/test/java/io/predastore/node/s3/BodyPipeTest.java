package io.predastore.node.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BodyPipeTest {
    private final List<String> signals = new ArrayList<>();
    /** Signals run at once, on the calling thread, in place of the event loop. */
    private final BodyPipe pipe = new BodyPipe(Runnable::run, new BodyPipe.Demand() {
        @Override
        public void drained() {
            signals.add("drained");
        }

        @Override
        public void wanted() {
            signals.add("wanted");
        }
    });

    private static ByteBuf bytes(int n) {
        return Unpooled.wrappedBuffer(new byte[n]);
    }

    @Test
    void offer_upToHighWater_saysWhenFull_drainedBelowLowWater() throws IOException {
        int chunk = 64 * 1024;
        int offered = 0;
        while (pipe.offer(bytes(chunk))) {
            offered += chunk;
        }
        offered += chunk;
        assertThat(offered).isEqualTo(BodyPipe.HIGH_WATER);
        assertThat(pipe.offer(bytes(chunk))).as("still full").isFalse();
        offered += chunk;
        byte[] buf = new byte[chunk];
        while (offered - chunk > BodyPipe.LOW_WATER) {
            assertThat(pipe.read(buf)).isEqualTo(chunk);
            offered -= chunk;
            assertThat(signals).doesNotContain("drained");
        }
        assertThat(pipe.read(buf)).isEqualTo(chunk);
        assertThat(signals).containsExactly("drained");
        assertThat(pipe.offer(bytes(1))).isTrue();
        pipe.close();
    }

    @Test
    void close_whileFull_saysDrained_andReleasesBuffers() {
        List<ByteBuf> offered = new ArrayList<>();
        ByteBuf b;
        do {
            b = bytes(256 * 1024);
            offered.add(b);
        } while (pipe.offer(b));
        pipe.close();
        assertThat(signals).containsExactly("drained");
        assertThat(offered).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
        ByteBuf late = bytes(1);
        assertThat(pipe.offer(late)).as("a closed pipe never holds reading back").isTrue();
        assertThat(late.refCnt()).isZero();
    }

    @Test
    void firstRead_emptyBodyAlreadyEnded_doesNotAsk() throws IOException {
        pipe.finish();
        assertThat(pipe.read(new byte[1])).isEqualTo(-1);
        assertThat(signals).isEmpty();
    }

    @Test
    void firstRead_bodyAlreadyArriving_doesNotAsk() throws IOException {
        pipe.offer(bytes(10));
        pipe.finish();
        assertThat(pipe.read(new byte[100])).isEqualTo(10);
        assertThat(pipe.read(new byte[100])).isEqualTo(-1);
        assertThat(signals).isEmpty();
    }

    @Test
    void firstRead_nothingArrived_asksOnceThenGetsTheBody() throws IOException {
        // The client holds its body back until asked (Expect: 100-continue); here the asking sends it at once.
        BodyPipe[] self = new BodyPipe[1];
        self[0] = new BodyPipe(Runnable::run, new BodyPipe.Demand() {
            @Override
            public void drained() {
                signals.add("drained");
            }

            @Override
            public void wanted() {
                signals.add("wanted");
                self[0].offer(bytes(5));
                self[0].finish();
            }
        });
        assertThat(self[0].read(new byte[100])).isEqualTo(5);
        assertThat(self[0].read(new byte[100])).isEqualTo(-1);
        assertThat(signals).containsExactly("wanted");
    }
}
