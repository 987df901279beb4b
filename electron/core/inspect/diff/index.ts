// A structural diff of two logged requests read as conversations: the system prompt, the tool
// definitions (by name, and whether their order changed), the parameters, and the messages
// aligned by content and position, with a character diff inside changed text and a JSON diff
// inside tool arguments; the two replies side by side. Pure: the worker (diff-worker.ts) builds
// the conversations and calls this.
import type { Conversation, ConversationMessage, ConversationResult, Part } from '../../contract/conversation';
import type {
  ChangeOp,
  DiffHead,
  MessageDiff,
  ParamDiff,
  PartDiff,
  ReplySide,
  RequestDiff,
  ToolDiff,
} from '../../contract/diff';
import type { RequestRow } from '../../contract/model';
import { align } from './align';
import { diffJson } from './json-diff';
import { changedPart, partKey, partText, partView, type Bodies } from './parts';
import { diffText } from './text-diff';

export { diffText } from './text-diff';
export { diffJson } from './json-diff';
export type { Bodies } from './parts';

export interface DiffSide {
  row: RequestRow;
  conversation: ConversationResult;
  bodies: Bodies;
}

const EMPTY: Conversation = {
  format: 'openai-chat',
  system: [],
  messages: [],
  tools: [],
  params: [],
  requestError: null,
  reply: null,
  replyError: null,
  notes: [],
};

function head(row: RequestRow, c: ConversationResult): DiffHead {
  return {
    id: row.id,
    timestamp: row.timestamp,
    method: row.method,
    path: row.path,
    model: row.model,
    provider: row.provider,
    status: row.status,
    streaming: row.streaming,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cacheReadTokens: row.cacheReadTokens,
    cacheWriteTokens: row.cacheWriteTokens,
    cost: row.cost,
    latencyMs: row.latencyMs,
    format: c.ok ? c.conversation.format : null,
  };
}

const systemText = (parts: Part[]) => parts.map(partText).join('\n\n');

function preview(m: ConversationMessage): string {
  for (const p of m.parts) {
    const t = partView(p);
    const line = (t.text || t.label).trim().split('\n')[0] ?? '';
    if (line) return line.length > 160 ? `${line.slice(0, 160)}…` : line;
  }
  return '';
}

function diffParts(a: Part[], b: Part[], ab: Bodies, bb: Bodies): PartDiff[] {
  const ak = a.map((p) => partKey(p, ab));
  const bk = b.map((p) => partKey(p, bb));
  return align(ak, bk, (i, j) => a[i]!.type === b[j]!.type).map((x): PartDiff => {
    if (x.op === 'changed') return changedPart(a[x.a!]!, b[x.b!]!);
    const pa = x.a === null ? null : partView(a[x.a]!);
    const pb = x.b === null ? null : partView(b[x.b]!);
    return { op: x.op, a: pa, b: pb, text: null, json: null };
  });
}

function messageKey(m: ConversationMessage, bodies: Bodies): string {
  return `${m.role}\u0001${m.name ?? ''}\u0001${m.parts.map((p) => partKey(p, bodies)).join('\u0000')}`;
}

function diffMessages(a: Conversation, b: Conversation, ab: Bodies, bb: Bodies): MessageDiff[] {
  const ak = a.messages.map((m) => messageKey(m, ab));
  const bk = b.messages.map((m) => messageKey(m, bb));
  const sameRole = (i: number, j: number) => a.messages[i]!.role === b.messages[j]!.role;
  return align(ak, bk, sameRole).map((x): MessageDiff => {
    const ma = x.a === null ? null : a.messages[x.a]!;
    const mb = x.b === null ? null : b.messages[x.b]!;
    const m = (mb ?? ma)!;
    let parts: PartDiff[] = [];
    if (x.op === 'changed') parts = diffParts(ma!.parts, mb!.parts, ab, bb);
    else if (x.op !== 'same')
      parts = m.parts.map((p) => ({
        op: x.op,
        a: x.op === 'removed' ? partView(p) : null,
        b: x.op === 'added' ? partView(p) : null,
        text: null,
        json: null,
      }));
    return { op: x.op, a: x.a, b: x.b, role: m.role, preview: preview(m), parts };
  });
}

function diffTools(a: Conversation, b: Conversation): RequestDiff['tools'] {
  const ai = new Map(a.tools.map((t, i) => [t.name, i]));
  const bi = new Map(b.tools.map((t, i) => [t.name, i]));
  const items: ToolDiff[] = [];
  for (const [j, t] of b.tools.entries()) {
    const i = ai.get(t.name);
    if (i === undefined) {
      items.push({ name: t.name, op: 'added', a: null, b: j, description: null, schema: [] });
      continue;
    }
    const ta = a.tools[i]!;
    const description =
      (ta.description ?? '') === (t.description ?? '') ? null : diffText(ta.description ?? '', t.description ?? '');
    const schema = diffJson(ta.schema, t.schema);
    const op: ChangeOp = description || schema.length ? 'changed' : 'same';
    items.push({ name: t.name, op, a: i, b: j, description, schema });
  }
  for (const [i, t] of a.tools.entries())
    if (!bi.has(t.name)) items.push({ name: t.name, op: 'removed', a: i, b: null, description: null, schema: [] });
  // The same tools in another order change the prompt's prefix as surely as an edit does.
  const common = (list: Conversation['tools'], other: Map<string, number>) =>
    list.filter((t) => other.has(t.name)).map((t) => t.name);
  const reordered = common(a.tools, bi).join('\u0000') !== common(b.tools, ai).join('\u0000');
  return { reordered, items };
}

function diffParams(a: Conversation, b: Conversation): ParamDiff[] {
  const bm = new Map(b.params.map((p) => [p.name, p.value]));
  const am = new Map(a.params.map((p) => [p.name, p.value]));
  const out: ParamDiff[] = a.params.map((p) => {
    const after = bm.get(p.name);
    if (after === undefined) return { name: p.name, op: 'removed', before: p.value, after: null };
    return { name: p.name, op: after === p.value ? 'same' : 'changed', before: p.value, after };
  });
  for (const p of b.params) if (!am.has(p.name)) out.push({ name: p.name, op: 'added', before: null, after: p.value });
  return out;
}

function replySide(c: ConversationResult): ReplySide {
  if (!c.ok) return { parts: [], finishReason: null, model: null, error: c.reason };
  const r = c.conversation.reply;
  return {
    parts: r ? r.parts.map(partView) : [],
    finishReason: r?.finishReason ?? null,
    model: r?.model ?? null,
    error: c.conversation.replyError,
  };
}

function notesOf(label: string, c: ConversationResult): string[] {
  if (!c.ok) return [`${label}: ${c.reason}`];
  const out = c.conversation.notes.map((n) => `${label}: ${n}`);
  if (c.conversation.requestError) out.unshift(`${label}: ${c.conversation.requestError}`);
  return out;
}

export function diffRequests(a: DiffSide, b: DiffSide): RequestDiff {
  const ca = a.conversation.ok ? a.conversation.conversation : EMPTY;
  const cb = b.conversation.ok ? b.conversation.conversation : EMPTY;
  const sa = systemText(ca.system);
  const sb = systemText(cb.system);
  const system = sa || sb ? diffText(sa, sb) : null;
  const tools = diffTools(ca, cb);
  const params = diffParams(ca, cb);
  const messages = diffMessages(ca, cb, a.bodies, b.bodies);
  const count: Record<ChangeOp, number> = { same: 0, added: 0, removed: 0, changed: 0 };
  for (const m of messages) count[m.op]++;
  return {
    a: head(a.row, a.conversation),
    b: head(b.row, b.conversation),
    system,
    tools,
    params,
    messages,
    replies: { a: replySide(a.conversation), b: replySide(b.conversation) },
    summary: {
      messages: count,
      systemChanged: system !== null && system.firstChange !== null,
      toolsChanged: tools.items.filter((t) => t.op !== 'same').length,
      toolsReordered: tools.reordered,
      paramsChanged: params.filter((p) => p.op !== 'same').length,
    },
    notes: [...notesOf(`#${a.row.id}`, a.conversation), ...notesOf(`#${b.row.id}`, b.conversation)],
    cache: null,
  };
}
