package org.quotaledger.security;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.quotaledger.infra.RequestIdFilter;
import org.springframework.stereotype.Component;

/**
 * Stamps every command sent on behalf of a caller with who caused it and the request id. Axon
 * copies these onto the events the command applies (see the correlation data providers), so
 * each event records its author. Commands sent by event processors inherit them from the event.
 */
@Component
public class CommandAttribution implements MessageDispatchInterceptor<CommandMessage<?>> {

    public static final String PRINCIPAL = "principal";
    public static final String ROLES = "roles";
    public static final String REQUEST_ID = "requestId";
    public static final List<String> KEYS = List.of(PRINCIPAL, ROLES, REQUEST_ID);

    @Override
    public BiFunction<Integer, CommandMessage<?>, CommandMessage<?>> handle(List<? extends CommandMessage<?>> messages) {
        return (index, command) -> {
            Map<String, Object> attribution = ofThisThread();
            return attribution.isEmpty() ? command : command.andMetaData(attribution);
        };
    }

    /**
     * What a command sent from this thread is stamped with. Work gathered from several requests
     * and sent on one thread (a group commit) takes each request's own, to put on its events.
     */
    public static Map<String, Object> ofThisThread() {
        Caller caller = Caller.current();
        Map<String, Object> attribution = new HashMap<>();
        if (caller != null) {
            attribution.put(PRINCIPAL, caller.name());
            attribution.put(ROLES, caller.roles().stream().map(Role::name).sorted().toList());
        }
        String requestId = RequestIdFilter.current();
        if (requestId != null) {
            attribution.put(REQUEST_ID, requestId);
        }
        return attribution;
    }
}
