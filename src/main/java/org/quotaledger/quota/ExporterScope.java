package org.quotaledger.quota;

import java.util.List;

import org.quotaledger.infra.InvalidRequestException;
import org.quotaledger.infra.RequestRejectedException;
import org.quotaledger.security.Caller;
import org.quotaledger.security.Role;

/** Which exporter a request acts for; shared by every exporter-scoped endpoint. */
public final class ExporterScope {

    private ExporterScope() {
    }

    /**
     * The exporter a request acts for: an exporter's own (naming another is 403); for other roles
     * the one named, which is then required.
     */
    public static String exporterOf(Caller caller, String named, String field) {
        if (caller.is(Role.EXPORTER)) {
            if (caller.exporterId() == null) {
                throw new NotYourShipmentsException(field);
            }
            if (named != null && !named.equals(caller.exporterId())) {
                throw new NotYourShipmentsException(field);
            }
            return caller.exporterId();
        }
        if (named == null || named.isBlank()) {
            throw new InvalidRequestException(List.of(new RequestRejectedException.FieldProblem(field, "is required")));
        }
        return named;
    }
}
