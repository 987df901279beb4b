// Output tokens of a stream that is still arriving. Most upstreams report usage only at the end
// (OpenAI's include_usage chunk, Anthropic's message_delta; Anthropic's message_start says 1), so
// the count the proxy relays stands still while the text grows. Until a reported count catches up,
// the text so far gives an estimate, marked as one: about four characters per token for English
// prose with the GPT and Claude tokenizers, close enough to watch a stream move.

const CHARS_PER_TOKEN = 4;

export interface LiveTokens {
  count: number | null;
  estimated: boolean;
}

export function liveOutputTokens(reported: number | null, text: string): LiveTokens {
  const estimate = text.length > 0 ? Math.max(1, Math.round(text.length / CHARS_PER_TOKEN)) : null;
  if (estimate === null || (reported !== null && reported >= estimate)) return { count: reported, estimated: false };
  return { count: estimate, estimated: true };
}
