package io.animegan.app;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What the real command line reads from the environment, for the tests that check deployment
 * files (docker-compose.yml, deploy/k8s) against the code: every {@code ${env:ANIMEGAN_...}}
 * default of every option of every subcommand and mixin, as the code has them now.
 */
final class CommandEnvironment {

    private static final Pattern ENV_REF = Pattern.compile("\\$\\{env:(ANIMEGAN_[A-Z0-9_]+)");

    private CommandEnvironment() {}

    static Set<String> variablesReadByOptions() {
        Set<String> names = new HashSet<>();
        collect(uninterpolated().getCommandSpec(), names);
        return names;
    }

    /** The variable an option falls back to, e.g. ANIMEGAN_METRICS_PORT for --metrics-port of "stage". */
    static Optional<String> variableOf(String subcommand, String option) {
        OptionSpec spec = uninterpolated()
                .getSubcommands()
                .get(subcommand)
                .getCommandSpec()
                .findOption(option);
        if (spec == null || spec.defaultValue() == null) {
            return Optional.empty();
        }
        Matcher matcher = ENV_REF.matcher(spec.defaultValue());
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /**
     * The value an option of a parsed subcommand gets in a process with this environment: the
     * command line first, then the variable, then the default.
     */
    static String effectiveValue(CommandLine.ParseResult subcommand, String option, Map<String, String> environment) {
        if (subcommand.hasMatchedOption(option)) {
            return subcommand.matchedOption(option).stringValues().get(0);
        }
        String name = subcommand.commandSpec().name();
        Optional<String> variable = variableOf(name, option);
        if (variable.isPresent() && environment.containsKey(variable.get())) {
            return environment.get(variable.get());
        }
        OptionSpec spec =
                Main.commandLine().getSubcommands().get(name).getCommandSpec().findOption(option);
        return spec.defaultValue();
    }

    /** Picocli replaces ${env:...} by its value when asked for a default; these keep the reference. */
    private static CommandLine uninterpolated() {
        CommandLine commandLine = Main.commandLine();
        commandLine.setInterpolateVariables(false);
        return commandLine;
    }

    private static void collect(CommandSpec spec, Set<String> names) {
        for (OptionSpec option : spec.options()) {
            String defaultValue = option.defaultValue();
            if (defaultValue != null) {
                Matcher matcher = ENV_REF.matcher(defaultValue);
                while (matcher.find()) {
                    names.add(matcher.group(1));
                }
            }
        }
        for (CommandLine sub : spec.subcommands().values()) {
            collect(sub.getCommandSpec(), names);
        }
    }
}
