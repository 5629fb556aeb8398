package io.animegan.app;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * Every option of every command has an environment variable: its default reads
 * {@code ${env:ANIMEGAN_...}} and its description names that variable. The options every picocli
 * command has (help, version) and {@code --verbose} are exempt.
 */
public final class OptionEnvironment {

    private static final Set<String> EXEMPT = Set.of("--help", "--version", "--verbose");
    private static final Pattern DEFAULT_VARIABLE = Pattern.compile("\\$\\{env:(ANIMEGAN_[A-Z0-9_]+)");

    private OptionEnvironment() {}

    /** "command --option: what is wrong", one per option without its variable. */
    public static List<String> problems(CommandLine root) {
        List<String> problems = new ArrayList<>();
        collect(root, problems);
        return problems;
    }

    private static void collect(CommandLine command, List<String> problems) {
        CommandSpec spec = command.getCommandSpec();
        for (OptionSpec option : spec.options()) {
            if (EXEMPT.contains(option.longestName())) {
                continue;
            }
            String where = spec.qualifiedName() + " " + option.longestName();
            Matcher variable = DEFAULT_VARIABLE.matcher(rawDefault(option));
            if (!variable.find()) {
                problems.add(where + ": default " + rawDefault(option) + " reads no ANIMEGAN_ variable");
                continue;
            }
            String description = String.join(" ", option.description());
            if (!description.contains(variable.group(1))) {
                problems.add(where + ": description does not name " + variable.group(1));
            }
        }
        command.getSubcommands().values().forEach(sub -> collect(sub, problems));
    }

    /** The default as declared, {@code ${env:...}} not yet resolved: the annotation's text. */
    public static String rawDefault(OptionSpec option) {
        Option declared =
                option.userObject() instanceof AnnotatedElement element ? element.getAnnotation(Option.class) : null;
        return declared == null ? String.valueOf(option.defaultValue()) : declared.defaultValue();
    }
}
