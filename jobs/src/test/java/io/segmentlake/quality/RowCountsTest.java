package io.segmentlake.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmentlake.JobFailure;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The quality gate counts the rows that were checked. */
class RowCountsTest {
  @Test
  void rowsBeforeTheLoyaltyWindowDoNotDiluteTheQuarantinedShare() {
    // 100 rows read: 90 before the points window (not checked), 8 used, 2 quarantined: 2 of the
    // 10 rows checked (20 %), not 2 of 100.
    RowCounts counts =
        new RowCounts("interactions", 10, 8, Map.of(), Map.of("null customer_id", 2L))
            .plusUnchecked(ReferenceRules.BEFORE_WINDOW, 90);
    assertThat(counts.read()).isEqualTo(100);
    assertThat(counts.excludedTotal()).isEqualTo(90);
    assertThatThrownBy(() -> counts.checkGate(0.1, "interactions"))
        .isInstanceOf(JobFailure.class)
        .hasMessageContaining("2 of 10 rows checked quarantined (20.00%)");
    counts.checkGate(0.2, "interactions");
    // Other exclusions were checked first (the rules run before them) and count.
    RowCounts invoices =
        new RowCounts("invoices", 100, 8, Map.of("after as-of date", 90L), Map.of("x", 2L));
    invoices.checkGate(0.1, "invoices");
  }
}
