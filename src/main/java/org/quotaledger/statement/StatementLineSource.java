package org.quotaledger.statement;

import java.time.Instant;
import java.util.List;

/**
 * A read model that contributes lines to exporters' statements. Each feature with facts about an
 * exporter (shipments, reservations) provides one as a Spring bean: the statement
 * merges every source's lines in time order, so a new kind of line needs no change here.
 */
public interface StatementLineSource {

    /** The exporter's lines at or after {@code from} and before {@code until}, in any order. */
    List<StatementLine> lines(String exporterId, Instant from, Instant until);
}
