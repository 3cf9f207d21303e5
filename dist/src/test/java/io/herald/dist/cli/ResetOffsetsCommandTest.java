package io.herald.dist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ResetOffsetsCommandTest {

    @Test
    void datetimesWithAZoneAreExact() {
        assertThat(ResetOffsetsCommand.parseTime("2026-01-31T12:00:00Z")).isEqualTo(1769860800000L);
        assertThat(ResetOffsetsCommand.parseTime("2026-01-31T13:00:00.000+01:00"))
                .isEqualTo(1769860800000L);
        assertThat(ResetOffsetsCommand.parseTime("1769860800000")).isEqualTo(1769860800000L);
    }

    @Test
    void datetimesWithoutAZoneAreLocalTime() {
        long expected = LocalDateTime.of(2026, 1, 31, 12, 0)
                .atZone(ZoneId.systemDefault())
                .toInstant()
                .toEpochMilli();

        assertThat(ResetOffsetsCommand.parseTime("2026-01-31T12:00:00")).isEqualTo(expected);
        assertThat(ResetOffsetsCommand.parseTime("2026-01-31T12:00")).isEqualTo(expected);
        assertThat(ResetOffsetsCommand.parseTime("2026-01-31")).isEqualTo(expected - 12 * 3600_000L);
    }

    @Test
    void otherTextIsRejected() {
        assertThatThrownBy(() -> ResetOffsetsCommand.parseTime("last tuesday"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("last tuesday");
    }
}
