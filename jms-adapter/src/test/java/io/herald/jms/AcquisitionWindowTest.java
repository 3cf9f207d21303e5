package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AcquisitionWindowTest {

    @Test
    void aWindowIsUsableForThreeQuartersOfTheLockFromWhenItsFetchBegan() {
        AcquisitionWindow w = new AcquisitionWindow();
        w.acquired(10_000);
        assertThat(w.runningOut(10_000, Optional.of(4_000))).isFalse();
        assertThat(w.runningOut(12_999, Optional.of(4_000))).isFalse();
        assertThat(w.runningOut(13_000, Optional.of(4_000))).isTrue();
        w.acquired(13_000); // a new fetch
        assertThat(w.runningOut(13_000, Optional.of(4_000))).isFalse();
    }

    @Test
    void withoutALockFromTheBrokerAWindowNeverRunsOut() {
        AcquisitionWindow w = new AcquisitionWindow();
        w.acquired(0);
        assertThat(w.runningOut(Long.MAX_VALUE / 2, Optional.empty())).isFalse();
        assertThat(w.runningOut(Long.MAX_VALUE / 2, Optional.of(0))).isFalse();
    }
}
