package io.animegan.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code animegan} command: the embedded default, or one part of a distributed deployment. */
@Command(
        name = "animegan",
        mixinStandardHelpOptions = true,
        version = "animegan-stream 0.1.0",
        description = "Turns photos into anime-style pictures (AnimeGANv2 Hayao) with face-aware enhancement.",
        subcommands = {
            RunCommand.class,
            InfraCommand.class,
            StageCommand.class,
            IngestCommand.class,
            SubmitCommand.class,
            BatchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main {

    /** Read from the parse result by {@link ErrorReporting}; inherited, so it works after any subcommand too. */
    @Option(
            names = ErrorReporting.VERBOSE,
            scope = ScopeType.INHERIT,
            description = "On failure, print the stack trace after the one-line message.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return configured(new CommandLine(new Main()));
    }

    /** A command line that reports failures as every {@code animegan} command does (also the tools' one). */
    public static CommandLine configured(CommandLine commandLine) {
        ErrorReporting errors = new ErrorReporting();
        return commandLine
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors);
    }

    /** The name of the option that adds stack traces to failures. */
    public static final String VERBOSE = ErrorReporting.VERBOSE;
}
