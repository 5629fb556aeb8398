package io.animegan.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code animegan} command: the embedded default, or one part of a distributed deployment. */
@Command(name = "animegan", mixinStandardHelpOptions = true, version = "animegan-stream 0.1.0",
    description = "Turns photos into anime-style pictures (AnimeGANv2 Hayao) with face-aware enhancement.",
    subcommands = {RunCommand.class, InfraCommand.class, StageCommand.class, IngestCommand.class, SubmitCommand.class,
        BatchCommand.class, BenchCommand.class, SoakCommand.class, CommandLine.HelpCommand.class})
public final class Main {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
  }
}
