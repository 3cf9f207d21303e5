package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AcquisitionWindowTest {

    private static final Optional<Integer> LOCK = Optional.of(4_000);

    @Test
    void recordsOfAPollAfterOneWithRecordsCountFromWhenTheirPollBeganForThreeQuartersOfTheLock() {
        AcquisitionWindow w = new AcquisitionWindow();
        w.polled(10_000, true);
        assertThat(w.runningOut(10_000, LOCK)).isFalse();
        assertThat(w.runningOut(12_999, LOCK)).isFalse();
        assertThat(w.runningOut(13_000, LOCK)).isTrue();
        w.polled(30_000, true); // a slow application's next window: fresh, however long the last one took
        assertThat(w.runningOut(30_000, LOCK)).isFalse();
    }

    @Test
    void recordsOfAPollAfterAnEmptyOneCountFromWhenTheEmptyOneBegan() {
        AcquisitionWindow w = new AcquisitionWindow();
        w.polled(1_000, false);
        w.polled(2_000, false); // consecutive empty polls: the last one's start bounds the background fetch
        w.polled(20_000, true); // fetched in the background at any time since 2,000
        assertThat(w.runningOut(20_000, LOCK)).isTrue();
        w.polled(21_000, true);
        assertThat(w.runningOut(21_000, LOCK)).isFalse();
    }

    @Test
    void withoutALockFromTheBrokerAWindowNeverRunsOut() {
        AcquisitionWindow w = new AcquisitionWindow();
        w.polled(0, true);
        assertThat(w.runningOut(Long.MAX_VALUE / 2, Optional.empty())).isFalse();
        assertThat(w.runningOut(Long.MAX_VALUE / 2, Optional.of(0))).isFalse();
    }
}
