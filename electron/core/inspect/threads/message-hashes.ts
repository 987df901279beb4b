// A request's conversation as hashes: one per message as it was sent, plus the system prompt and
// the tool definitions, read straight from the body's JSON (not from the conversation view, which
// leaves out fields it does not show: two messages that differ only there must not hash alike).
// What a later request's messages extend is found by comparing these, never by re-reading bodies.

import { createHash } from 'node:crypto';
import type { ConversationFormat } from '../../contract/conversation';

export interface MessageHash {
  /** -2: the tool definitions, -1: the system prompt given apart from the messages, 0…: the messages. */
  position: number;
  /** As the format names it (user, assistant, tool, function_call…); 'tools' and 'system' for -2 and -1. */
  role: string;
  hash: string;
  /** Characters of the canonical JSON the hash is over. */
  size: number;
}

export interface HashedConversation {
  /** Tools, system and the format: what must match for one request to continue another. */
  contextHash: string;
  /** System (-1) and tools (-2) when the body has them, then every message, in order. */
  hashes: MessageHash[];
  /** chain[k]: the context and messages 0…k; chain.at(-1) stands for the whole request. */
  chain: string[];
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null;

export function hashText(text: string): string {
  // 132 bits of SHA-256: collisions are out of reach for any log, and the index stays small.
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

/**
 * Anthropic clients move `cache_control` markers to the newest messages every turn (Claude Code
 * does), so a message would hash differently once it is no longer last. The marker is an
 * instruction to the cache, not content: it is left out of the hash.
 */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (key, value: unknown) => (key === 'cache_control' ? undefined : value)) ?? 'null';

interface Parts {
  system: unknown;
  tools: unknown;
  messages: unknown[];
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

/** Where each format keeps its system prompt, tools and messages. */
function partsOf(format: ConversationFormat, body: Json): Parts {
  switch (format) {
    case 'openai-chat':
    case 'ollama-chat':
      return { system: undefined, tools: body['tools'] ?? body['functions'], messages: list(body['messages']) };
    case 'anthropic-messages':
      return { system: body['system'], tools: body['tools'], messages: list(body['messages']) };
    case 'openai-responses': {
      const input = body['input'];
      const messages = typeof input === 'string' ? [{ role: 'user', content: input }] : list(input);
      return { system: body['instructions'], tools: body['tools'], messages };
    }
    case 'gemini':
      return {
        system: body['systemInstruction'] ?? body['system_instruction'],
        tools: body['tools'],
        messages: list(body['contents']),
      };
    case 'openai-completions':
      return { system: undefined, tools: undefined, messages: list(body['prompt']) };
    case 'ollama-generate':
      return { system: body['system'], tools: undefined, messages: list(body['prompt']) };
    default: {
      const never: never = format;
      throw new Error(`unhandled format ${String(never)}`);
    }
  }
}

function roleOf(message: unknown): string {
  const m = obj(message);
  if (!m) return 'user';
  const role = m['role'] ?? m['type'];
  return typeof role === 'string' ? role : 'user';
}

export function hashConversation(format: ConversationFormat, body: Json): HashedConversation {
  const { system, tools, messages } = partsOf(format, body);
  const hashes: MessageHash[] = [];
  const entry = (position: number, role: string, value: unknown) => {
    const text = canonical(value);
    hashes.push({ position, role, hash: hashText(text), size: text.length });
  };
  if (tools !== undefined && tools !== null) entry(-2, 'tools', tools);
  if (system !== undefined && system !== null) entry(-1, 'system', system);
  messages.forEach((m, i) => entry(i, roleOf(m), m));
  const contextHash = hashText(
    [format, ...hashes.filter((h) => h.position < 0).map((h) => `${h.position}:${h.hash}`)].join('\n'),
  );
  return { contextHash, hashes, chain: chainOf(contextHash, hashes) };
}

/** The prefix hashes of a request, from its context and message hashes (what a replay recomputes). */
export function chainOf(contextHash: string, hashes: readonly MessageHash[]): string[] {
  const chain: string[] = [];
  let prev = contextHash;
  for (const h of hashes) {
    if (h.position < 0) continue;
    prev = hashText(`${prev}\n${h.hash}`);
    chain.push(prev);
  }
  return chain;
}
