package io.herald.console;

import io.herald.server.api.BrokerAdmin;
import io.herald.server.api.BrokerExtension;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the admin console inside the broker on the addresses of {@code admin.listeners}; with an empty setting the
 * console stays off. Registered in {@code META-INF/services/io.herald.server.api.BrokerExtension}.
 *
 * <p>Thread-safety: stateless.
 */
public final class ConsoleExtension implements BrokerExtension {

    private static final Logger log = LoggerFactory.getLogger(ConsoleExtension.class);

    @Override
    public String name() {
        return "admin console";
    }

    @Override
    public Running start(BrokerAdmin admin) throws IOException {
        List<AdminListener> listeners = AdminListener.parseList(admin.adminListeners());
        if (listeners.isEmpty()) {
            log.info("The admin console is off (admin.listeners is empty)");
            return () -> {};
        }
        return AdminConsole.start(admin, listeners);
    }
}
