package io.animegan.app;

import io.animegan.common.onnx.ModelNotFoundException;
import io.animegan.common.stage.KafkaUnreachableException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * How every command reports what stops it: one line on stderr, {@code animegan: <what and which
 * setting to change>}, and a non-zero exit code (1 for a failed start, 2 for a bad command line).
 * The stack trace only with {@code --verbose}.
 */
final class ErrorReporting implements IExecutionExceptionHandler, IParameterExceptionHandler {

    static final String VERBOSE = "--verbose";

    @Override
    public int handleExecutionException(Exception ex, CommandLine command, ParseResult parseResult) {
        PrintWriter err = stderr();
        err.println("animegan: " + describe(ex));
        if (verbose(parseResult)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return command.getExitCodeExceptionMapper() != null
                ? command.getExitCodeExceptionMapper().getExitCode(ex)
                : command.getCommandSpec().exitCodeOnExecutionException();
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine command = ex.getCommandLine();
        PrintWriter err = stderr();
        err.println("animegan: " + oneLine(ex.getMessage()) + " (see '"
                + command.getCommandSpec().qualifiedName() + " --help')");
        if (Arrays.asList(args).contains(VERBOSE)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return command.getExitCodeExceptionMapper() != null
                ? command.getExitCodeExceptionMapper().getExitCode(ex)
                : command.getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * The process's stderr as it is now. (Not {@code CommandLine.getErr()}: picocli 4.7 replaces a
     * writer given with {@code setErr} by one on the stderr it saw first once {@code System.err} has
     * been replaced, so a caller capturing stderr would miss the line.)
     */
    private static PrintWriter stderr() {
        return new PrintWriter(System.err, true);
    }

    /** {@code --verbose} on the top command or any subcommand on the way to the one that ran. */
    private static boolean verbose(ParseResult result) {
        for (ParseResult r = result; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption(VERBOSE)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The failure in one line. A failure the code names on purpose (a missing model, an unreachable
     * broker, a port in use) is said as it is, whatever wraps it; otherwise the outermost message,
     * with the innermost cause added when it says something more.
     */
    static String describe(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        Throwable root = failure;
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            if (t instanceof ModelNotFoundException
                    || t instanceof KafkaUnreachableException
                    || t instanceof StartupChecks.PortInUseException) {
                String hint = t instanceof KafkaUnreachableException
                        ? " (set --bootstrap-servers or ANIMEGAN_BOOTSTRAP_SERVERS)"
                        : "";
                return oneLine(t.getMessage()) + hint;
            }
            root = t;
        }
        String outer = message(failure);
        if (root != failure) {
            String inner = message(root);
            if (!outer.contains(inner)) {
                outer = outer + ": " + inner;
            }
        }
        return outer;
    }

    private static String message(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : oneLine(message);
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
