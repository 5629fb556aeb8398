package io.animegan.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code animegan} command: the embedded default, or one part of a distributed deployment. */
@Command(name = "animegan", mixinStandardHelpOptions = true, version = "animegan-stream 0.1.0",
    description = "Turns photos into anime-style pictures (AnimeGANv2 Hayao) with face-aware enhancement.",
    subcommands = {RunCommand.class, InfraCommand.class, StageCommand.class, IngestCommand.class, SubmitCommand.class,
        BatchCommand.class, BenchCommand.class, SoakCommand.class, CommandLine.HelpCommand.class})
public final class Main {

  /** Read from the parse result by {@link ErrorReporting}; inherited, so it works after any subcommand too. */
  @Option(names = ErrorReporting.VERBOSE, scope = ScopeType.INHERIT,
      description = "On failure, print the stack trace after the one-line message.")
  boolean verbose;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    ErrorReporting errors = new ErrorReporting();
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(errors)
        .setParameterExceptionHandler(errors);
  }
}
