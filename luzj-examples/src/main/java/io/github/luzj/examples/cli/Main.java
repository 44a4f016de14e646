package io.github.luzj.examples;

import io.github.luzj.LuzjException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar luzj-examples.jar <experiment> [options]}: the chapter's experiments, one
 * subcommand each. A user error prints one line on stderr and exits with code 2; {@code --debug}
 * adds the stack trace.
 */
@Command(
        name = "luzj-examples",
        mixinStandardHelpOptions = true,
        version = "luzj examples 0.1.0",
        description = "The experiments of the chapter 'Speeding up training', run with luzj.",
        subcommands = {
            BatchNormCommand.class,
            OneCycleCommand.class,
            ScheduleFreeCommand.class,
            ScheduleCommand.class,
            LrFinderCommand.class,
            TransferCommand.class,
            BenchCommand.class,
            ChapterCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements java.util.concurrent.Callable<Integer> {

    /** Exit code for user errors (bad input, missing data). */
    public static final int USER_ERROR = 2;

    /** No experiment named: a usage error, as for an unknown option. */
    @Override
    public Integer call() {
        CommandLine cli = new CommandLine(this);
        cli.getErr().println("error: no experiment given; run one of "
                + String.join(", ", cli.getSubcommands().keySet().stream()
                        .filter(name -> !name.equals("help")).toList())
                + " (--help for the list)");
        cli.getErr().flush();
        return USER_ERROR;
    }

    /**
     * Runs the CLI.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the CLI without exiting, for tests.
     *
     * @param args the arguments
     * @return the exit code
     */
    public static int execute(String... args) {
        System.setProperty("java.awt.headless", "true");
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(Main::handle);
        cli.setParameterExceptionHandler(
                (e, a) -> {
                    PrintWriter err = e.getCommandLine().getErr();
                    err.println("error: " + e.getMessage());
                    err.println("Run with --help for the options.");
                    return USER_ERROR;
                });
        return cli.execute(args);
    }

    private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        boolean debug = parsed.hasMatchedOption("--debug") || hasDebug(parsed);
        PrintWriter err = cmd.getErr();
        Throwable userError = findUserError(e);
        if (userError != null) {
            err.println("error: " + userError.getMessage());
            if (debug) {
                e.printStackTrace(err);
            } else {
                err.println("(run with --debug for the stack trace)");
            }
            err.flush();
            return USER_ERROR;
        }
        err.println("error: unexpected failure: " + e);
        e.printStackTrace(err);
        err.flush();
        return 1;
    }

    private static boolean hasDebug(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }

    private static Throwable findUserError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LuzjException) {
                return t;
            }
        }
        return null;
    }
}
