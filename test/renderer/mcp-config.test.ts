// The MCP lines Settings offers: a shell reads the Claude Code line back as the intended words, and
// the JSON entry names the same command, pointed at the log the window shows.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { mcpArgs, mcpConfigLines } from '../../renderer/src/lib/mcp-config';

describe('MCP configuration lines', () => {
  it('name the log, and survive a shell and a JSON parser unchanged', () => {
    const db = "/home/a b/it's/log.sqlite";
    const [code, desktop, cursor] = mcpConfigLines(db);
    expect(code!.text.startsWith('claude mcp add llm-request-inspector -- npx ')).toBe(true);
    const words = spawnSync(
      'sh',
      ['-c', `set -- ${code!.text.slice('claude mcp add llm-request-inspector -- npx '.length)}; printf '%s\\n' "$@"`],
      { encoding: 'utf8' },
    )
      .stdout.trimEnd()
      .split('\n');
    expect(words).toEqual(mcpArgs(db));
    expect(mcpArgs(db)).toEqual(['-y', 'llm-request-inspector', 'mcp', '--db', db]);
    expect(JSON.parse(desktop!.text)).toEqual({
      mcpServers: { 'llm-request-inspector': { command: 'npx', args: mcpArgs(db) } },
    });
    expect(cursor!.text).toBe(desktop!.text);
    expect(mcpConfigLines(null)[0]!.text).toBe(
      'claude mcp add llm-request-inspector -- npx -y llm-request-inspector mcp',
    );
  });
});
