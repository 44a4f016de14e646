package io.github.luzj.examples.cli;

import io.github.luzj.examples.chapter.ErrorReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
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
public final class Main implements Callable<Integer> {

    /** No experiment named: a usage error, as for an unknown option. */
    @Override
    public Integer call() {
        CommandLine cli = new CommandLine(this);
        cli.getErr().println("error: no experiment given; run one of "
                + String.join(", ", cli.getSubcommands().keySet().stream()
                        .filter(name -> !name.equals("help")).toList())
                + " (--help for the list)");
        cli.getErr().flush();
        return ErrorReport.USER_ERROR;
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
                    return ErrorReport.USER_ERROR;
                });
        return cli.execute(args);
    }

    private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        boolean debug = parsed.hasMatchedOption("--debug") || hasDebug(parsed);
        return ErrorReport.print(e, debug, cmd.getErr());
    }

    private static boolean hasDebug(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }
}
