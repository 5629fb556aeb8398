package io.animegan.app;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.joran.util.ConfigurationWatchListUtil;
import java.net.URL;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * How a command that runs pipeline work writes its log lines. Applied by the option's setter while
 * the command line is parsed, so the command's own work is logged in the chosen format.
 */
public final class LogOptions {

    enum LogFormat {
        text,
        json
    }

    /** Set by logback.xml to the format it chose; absent under any other logging configuration. */
    private static final String CHOSEN = "animegan.log.format";

    private static final String VARIABLE = "ANIMEGAN_LOG_FORMAT";

    @Option(
            names = "--log-format",
            defaultValue = "${env:ANIMEGAN_LOG_FORMAT:-text}",
            description = "text, or json: one JSON object per line, with the image, job and trace ids on the lines of "
                    + "pipeline work (env ANIMEGAN_LOG_FORMAT). Default: ${DEFAULT-VALUE}")
    void format(LogFormat format) {
        use(format);
    }

    /**
     * logback.xml has already chosen by the environment variable (lines are logged before any option
     * is read); a command line that says otherwise reloads it with this format. A logging
     * configuration of the operator's own (-Dlogback.configurationFile) is left as it is.
     */
    static void use(LogFormat format) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        String chosen = context.getProperty(CHOSEN);
        URL file = ConfigurationWatchListUtil.getMainWatchURL(context);
        if (chosen == null || chosen.equals(format.name()) || file == null) {
            return;
        }
        context.reset();
        // A context property comes before the environment when logback.xml resolves the variable.
        context.putProperty(VARIABLE, format.name());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(file);
        } catch (JoranException e) {
            throw new IllegalStateException("cannot reload the logging configuration " + file, e);
        }
    }
}
