import { useEffect, useState } from 'react';
import { useClient } from '../lib/hooks';
import { mcpConfigLines } from '../lib/mcp-config';
import { CopyLines } from './copy-lines';

/** Settings ▸ MCP: how to let a coding agent read this log (read-only) through `llm-request-inspector mcp`. */
export function McpSetup() {
  const client = useClient();
  // The log's path is fixed for the life of the core: asked once, not followed.
  const [dbPath, setDbPath] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    client.getStatus().then(
      (s) => live && setDbPath(s.database.path),
      // Without the path the lines still work: the MCP server's default log is the app's.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client]);
  const lines = mcpConfigLines(dbPath);
  return (
    <div className="form" data-testid="mcp-setup" style={{ marginTop: 28 }}>
      <div className="section-title">MCP (coding agents)</div>
      <p className="faint" style={{ fontSize: 12, margin: 0 }}>
        Agents can list, search and read this log, read-only, through the MCP server of the command line. Add it with
        one of these (Claude Desktop and Cursor: merge the entry into the file&apos;s <code>mcpServers</code>).
      </p>
      <CopyLines lines={lines} />
    </div>
  );
}
