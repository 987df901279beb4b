// The command line's dispatch: which subcommand runs, and how its failure becomes an exit code.
import { runExportCli } from '../export/cli';
import {
  EXIT,
  diffCommand,
  estimateCommand,
  ratiosCommand,
  requestsCommand,
  showCommand,
  sqlCommand,
  statsCommand,
  tailCommand,
  threadCommand,
  type CliIo,
} from './commands';
import { UsageError } from './log-access';

export const HELP = `usage: llm-request-inspector <command> [options]

  serve [--host H] [--proxy-port N] [--ui-port N] [--db FILE] [--config FILE] [--upstream [NAME=]URL]...
                         the proxy and the UI in a browser, without Electron
  export --out FILE [--db FILE] [--format sqlite|jsonl|csv|har] [--filter TEXT] ...
  export --format otlp --endpoint URL [--db FILE] [--filter TEXT] [--header 'Name: value'] ...
                         the rows as OpenTelemetry GenAI spans, to an OTLP/HTTP receiver
  requests [FILTER] [--limit N] [--json|--table]   requests that match, newest first
  show ID [--bodies] [--json]                      one request (row id or correlation id)
  diff A B [--json]                                two requests compared: system, tools, params, messages,
                                                   replies, and why B's prompt cache missed after A
  thread ID [--json]                               one conversation's turns (thread id or a request's row id)
  tail [FILTER] [--lines N] [--json]               the last requests, then new ones as they land
  stats [FILTER] [--by model|provider|policy] [--json]
  ratios [--json]                                  output/input token ratios per policy and model
  estimate [PROMPT] [--model M] [--models A,B] [--compare] [--policy P] [--json]
           [--body FILE|- [--path P] [--format F]] [--tokens N] [--request ID] [--prompt-file FILE|-]
                         input tokens, then output tokens and cost p50/p90/p99 learned from the log
  sql "SELECT ..." [--limit N] [--json]           one read-only statement (10 s, 1000 rows by default)
  mcp                                              a Model Context Protocol server over stdio

Every command but serve reads the log read-only (--db FILE, default the app's log) and is safe while
the app or serve writes it. FILTER is the filter language, e.g. model:gpt-4o* status>=400 since:1h.
Exit codes: 0 found, 1 nothing found, 2 error.`;

type Command = (argv: string[], io: CliIo) => Promise<number>;

const mcpCommand: Command = async (argv) => {
  const { runMcpServer } = await import('./mcp-server');
  await runMcpServer(argv);
  return EXIT.ok;
};

const READERS: Record<string, Command> = {
  requests: requestsCommand,
  show: showCommand,
  thread: threadCommand,
  tail: tailCommand,
  stats: statsCommand,
  ratios: ratiosCommand,
  estimate: estimateCommand,
  sql: sqlCommand,
  diff: diffCommand,
};

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.out(HELP);
    return command === undefined ? EXIT.error : EXIT.ok;
  }
  if (command === 'export') {
    // Export's own exit codes: 0 done, 1 failed, 2 bad arguments; --db defaults to the app's log here.
    const withDb = rest.some((a) => a === '--db' || a.startsWith('--db='))
      ? rest
      : ['--db', (await import('../paths')).defaultDbPath(), ...rest];
    return runExportCli(withDb, { log: io.out, error: io.err });
  }
  const run = command === 'mcp' ? mcpCommand : READERS[command];
  if (!run) {
    io.err(`unknown command "${command}"\n\n${HELP}`);
    return EXIT.error;
  }
  try {
    return await run(rest, io);
  } catch (e) {
    io.err(e instanceof UsageError ? e.message : `error: ${(e as Error).message}`);
    return EXIT.error;
  }
}
