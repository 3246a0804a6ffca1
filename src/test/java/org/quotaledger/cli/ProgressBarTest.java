package org.quotaledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private final StringWriter err = new StringWriter();

    @Test
    void aKnownTotalDrawsABarWithThePercentageAndTheEta() {
        ProgressBar bar = new ProgressBar(new PrintWriter(err), true, "import", "rows");
        assertThat(bar.render(60_000, 100_000L, 4L))
                .isEqualTo("import [##################------------]  60%  60,000/100,000 rows  ETA 4s");
        assertThat(bar.render(0, 249L, null)).isEqualTo("import [------------------------------]   0%  0/249 rows");
    }

    @Test
    void anUnknownTotalCountsOnly() {
        ProgressBar bar = new ProgressBar(new PrintWriter(err), true, "import", "rows");
        assertThat(bar.render(1_234, null, null)).isEqualTo("import 1,234 rows");
        assertThat(bar.render(5, 0L, null)).isEqualTo("import 5 rows");
    }

    @Test
    void theBarRedrawsOneLineAndEndsItOnce() {
        ProgressBar bar = new ProgressBar(new PrintWriter(err), true, "replay", "countries");
        bar.update(1, 2L, null);
        bar.update(2, 2L, 0L);
        bar.finish();
        bar.finish();
        assertThat(err.toString()).isEqualTo("\rreplay [###############---------------]  50%  1/2 countries"
                + "\rreplay [##############################] 100%  2/2 countries  ETA 0s" + System.lineSeparator());
    }

    @Test
    void aDisabledBarPrintsNothing() {
        ProgressBar bar = new ProgressBar(new PrintWriter(err), false, "import", "rows");
        bar.update(1, 2L, 1L);
        bar.finish();
        assertThat(err.toString()).isEmpty();
    }
}
