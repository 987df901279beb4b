// An agent's conversation as the proxy logs it (Anthropic Messages, the shape Claude Code sends):
// a long system prompt and tool definitions on every turn, then the whole history again, growing
// by the model's tool call and the tool's result each turn. Deterministic, so runs compare.
import type { LogRecord } from '../electron/core/contract/model';
import { benchRecord } from './bench-records';

const words = (seed: number, n: number) =>
  Array.from({ length: n }, (_, i) => `w${((seed * 7919 + i * 104_729) % 9973).toString(36)}`).join(' ');

/** The request bodies of one conversation of `turns` turns; `id` keeps conversations apart. */
export function agentBodies(turns: number, id = 0): string[] {
  const system = [
    { type: 'text', text: `You are a coding agent. ${words(1, 900)}`, cache_control: { type: 'ephemeral' } },
  ];
  const tools = Array.from({ length: 12 }, (_, k) => ({
    name: `tool_${k}`,
    description: words(100 + k, 80),
    input_schema: { type: 'object', properties: { path: { type: 'string' }, query: { type: 'string' } } },
  }));
  const messages: unknown[] = [{ role: 'user', content: `Task ${id}: ${words(id + 7, 120)}` }];
  const bodies: string[] = [];
  for (let t = 1; t <= turns; t++) {
    bodies.push(
      JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 8192, system, tools, messages, stream: true }),
    );
    const call = `toolu_${id}_${t}`;
    messages.push({
      role: 'assistant',
      content: [
        { type: 'text', text: words(id * 1000 + t, 60) },
        { type: 'tool_use', id: call, name: `tool_${t % 12}`, input: { path: `src/file_${t}.ts` } },
      ],
    });
    messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: call, content: words(t + id, 400) }] });
  }
  return bodies;
}

/** Log records for those bodies: a streamed reply of a few hundred bytes each. */
export function agentRecords(turns: number, id = 0, from = 0): LogRecord[] {
  return agentBodies(turns, id).map((body, i) => {
    const r = benchRecord(from + i, false);
    return {
      ...r,
      path: '/v1/messages',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      streaming: true,
      requestBytes: body.length,
      exchange: {
        ...r.exchange,
        requestBody: body,
        responseBody: `event: message_start\ndata: {"type":"message_start"}\n\n${'data: {"delta":"x"}\n\n'.repeat(20)}`,
      },
    };
  });
}
