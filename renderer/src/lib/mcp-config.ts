// The one-line MCP configurations Settings offers to copy: the published package's command line,
// pointed at the log this window shows (the MCP server's default log is the app's, but `serve
// --db FILE` or INSPECTOR_DATA_DIR put it elsewhere, so the path is always said).
import type { SetupLine } from './setup-lines';

export const MCP_NAME = 'llm-request-inspector';

/** A word a POSIX shell reads back as itself. */
const shellWord = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export function mcpArgs(dbPath: string | null): string[] {
  return ['-y', MCP_NAME, 'mcp', ...(dbPath ? ['--db', dbPath] : [])];
}

export function mcpConfigLines(dbPath: string | null): SetupLine[] {
  const args = mcpArgs(dbPath);
  const entry = JSON.stringify({ mcpServers: { [MCP_NAME]: { command: 'npx', args } } });
  return [
    {
      label: 'Claude Code (run in a terminal)',
      text: `claude mcp add ${MCP_NAME} -- npx ${args.map(shellWord).join(' ')}`,
    },
    { label: 'Claude Desktop (claude_desktop_config.json)', text: entry },
    { label: 'Cursor (~/.cursor/mcp.json, or .cursor/mcp.json in a project)', text: entry },
  ];
}
