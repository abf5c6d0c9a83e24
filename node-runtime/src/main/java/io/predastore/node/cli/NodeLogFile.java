package io.predastore.node.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import java.net.URL;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Sends the node's log to a file that rolls (daily and by size) and whose total size is bounded, instead of stderr,
 * so a node that runs for months under a supervisor never fills its disk with logs. The policy lives in
 * {@code logback-file.xml}; its limits can be changed with the system properties named there.
 */
final class NodeLogFile {
    static final String FILE_PROPERTY = "predastore.log.file";

    private NodeLogFile() {
    }

    /**
     * Re-configures logging to write to {@code file} (its directory must exist or be creatable), and routes
     * {@code java.util.logging} there too.
     *
     * @throws IllegalStateException if Logback reports an error while configuring, e.g. the file cannot be opened
     */
    static void use(Path file) {
        System.setProperty(FILE_PROPERTY, file.toAbsolutePath().normalize().toString());
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        context.getStatusManager().clear();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        URL config = NodeLogFile.class.getResource("/logback-file.xml");
        try {
            configurator.doConfigure(config);
        } catch (JoranException e) {
            // Logback has recorded the cause among its statuses; report it below.
        }
        for (Status status : context.getStatusManager().getCopyOfStatusList()) {
            if (status.getEffectiveLevel() >= Status.ERROR) {
                throw new IllegalStateException("cannot log to " + file + ": " + status.getMessage()
                        + (status.getThrowable() != null ? " (" + status.getThrowable().getMessage() + ")" : ""));
            }
        }
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }
}
