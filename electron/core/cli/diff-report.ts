// `diff A B` (command line) and the MCP tool `diff(a, b)`: two logged requests compared, as text
// sized for a model's context. The structural diff runs in its thread (inspect/diff); this writes
// it out: changes inline as [-removed-]{+added+}, unchanged runs folded, each text cut, the whole
// bounded, with the cache card's reasons.
import type { CacheDiagnosis } from '../contract/cache';
import type { JsonChange, MessageDiff, PartDiff, RequestDiff, TextDiff } from '../contract/diff';
import type { RequestDetail } from '../contract/model';
import { runDiff } from '../inspect/diff/diff-thread';

/** The whole report is cut here, with a note: an agent's context is the scarce thing. */
export const DIFF_REPORT_CAP = 12_000;
const PART_CAP = 1_500;

const cut = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n)}… (${s.length - n} more characters)`);

export function inlineText(d: TextDiff, cap = PART_CAP): string {
  const out = d.spans
    .map((s) => {
      const gap = s.elided ? ` …${s.elided} ${s.op === 'same' ? 'unchanged' : s.op} characters… ` : '';
      const body = `${s.text}${gap}${s.tail}`;
      return s.op === 'same' ? body : s.op === 'added' ? `{+${body}+}` : `[-${body}-]`;
    })
    .join('');
  return cut(out, cap);
}

function json(c: JsonChange): string {
  if (c.op === 'added') return `${c.path}: {+${c.after}+}`;
  if (c.op === 'removed') return `${c.path}: [-${c.before}-]`;
  return `${c.path}: ${c.text ? inlineText(c.text, 400) : `[-${c.before}-]{+${c.after}+}`}`;
}

function part(p: PartDiff): string {
  if (p.op === 'same') return `    (same) ${p.b?.label ?? ''}`;
  const view = (p.a ?? p.b)!;
  if (p.op === 'added' || p.op === 'removed') {
    const mark = p.op === 'added' ? '+' : '-';
    return `    ${mark} ${view.kind === 'text' ? '' : `${view.label}: `}${cut(view.text, PART_CAP)}`;
  }
  if (p.json) return [`    ~ ${p.b!.label}`, ...p.json.map((c) => `      ${json(c)}`)].join('\n');
  return `    ~ ${p.b!.kind === 'text' ? '' : `${p.b!.label}: `}${p.text ? inlineText(p.text) : ''}`;
}

function messages(list: MessageDiff[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < list.length;) {
    if (list[i]!.op === 'same') {
      let j = i;
      while (j < list.length && list[j]!.op === 'same') j++;
      out.push(j - i === 1 ? `  #${i + 1} ${list[i]!.role}: same` : `  #${i + 1}–#${j}: ${j - i} messages the same`);
      i = j;
      continue;
    }
    const m = list[i]!;
    const where = m.a !== null && m.b !== null && m.a !== m.b ? `#${m.a + 1}→#${m.b + 1}` : `#${(m.b ?? m.a)! + 1}`;
    out.push(`  ${where} ${m.role}: ${m.op}`, ...m.parts.map(part));
    i++;
  }
  return out;
}

export function cacheLines(c: CacheDiagnosis): string[] {
  const lines = [
    `cache of #${c.id} after #${c.previousId}: ${c.verdict} — read ${c.cacheReadTokens ?? 'unknown'} of ` +
      `${c.inputTokens ?? 'unknown'} input tokens; previous prompt ${c.previousTokens ?? 'unknown'}, ` +
      `its unchanged prefix ~${c.expectedTokens ?? 'unknown'}; ${Math.round(c.gapMs / 1000)} s since it ` +
      `(lifetime ${Math.round(c.lifetimeMs / 60_000)} min: ${c.lifetimeSource})`,
    ...c.reasons.map((r) => `  why: ${r.message}`),
  ];
  if (c.missCost) lines.push(`  the miss cost $${c.missCost.toPrecision(3)} more than cache reads`);
  if (c.providerReport) lines.push(`  provider's figures: ${c.providerReport}`);
  return lines;
}

export function formatDiff(d: RequestDiff): string {
  const head = (h: RequestDiff['a'], side: string) =>
    `${side} #${h.id} ${h.timestamp} ${h.method} ${h.path} ${h.model || '?'} status ${h.status ?? '-'} ` +
    `in ${h.inputTokens ?? '?'} (cached ${h.cacheReadTokens ?? 0}) out ${h.outputTokens ?? '?'}`;
  const m = d.summary.messages;
  const lines = [
    head(d.a, 'A'),
    head(d.b, 'B'),
    `messages: ${m.same} same, ${m.changed} changed, ${m.added} added, ${m.removed} removed`,
    ...d.notes.map((n) => `note: ${n}`),
  ];
  if (d.cache) lines.push(...cacheLines(d.cache));
  if (d.system && d.system.firstChange !== null)
    lines.push(`system prompt (first change at character ${d.system.firstChange}):`, `  ${inlineText(d.system)}`);
  const tools = d.tools.items.filter((t) => t.op !== 'same');
  if (tools.length || d.tools.reordered) {
    lines.push(`tools${d.tools.reordered ? ' (reordered)' : ''}:`);
    for (const t of tools) {
      lines.push(`  ${t.name}: ${t.op}`);
      if (t.description) lines.push(`    description: ${inlineText(t.description, 400)}`);
      for (const c of t.schema) lines.push(`    ${json(c)}`);
    }
  }
  const params = d.params.filter((p) => p.op !== 'same');
  if (params.length)
    lines.push('parameters:', ...params.map((p) => `  ${p.name}: ${p.before ?? '—'} → ${p.after ?? '—'}`));
  lines.push('messages:', ...messages(d.messages));
  const reply = (r: RequestDiff['replies']['a'], side: string) =>
    `reply ${side}${r.finishReason ? ` (${r.finishReason})` : ''}: ` +
    (r.error ?? cut(r.parts.map((p) => (p.kind === 'text' ? p.text : `[${p.label}] ${p.text}`)).join('\n'), PART_CAP));
  lines.push(reply(d.replies.a, 'A'), reply(d.replies.b, 'B'));
  const text = lines.join('\n');
  if (text.length <= DIFF_REPORT_CAP) return text;
  const note =
    `cut at ${DIFF_REPORT_CAP} of ${text.length} characters; ` +
    'compare the bodies with get_request (MCP) or show --bodies (command line)';
  return `${text.slice(0, DIFF_REPORT_CAP)}\n… ${note}`;
}

/** The diff of two stored requests, built in the diff thread; an error message when it can't be. */
export async function diffDetails(
  a: RequestDetail,
  b: RequestDetail,
): Promise<{ ok: true; diff: RequestDiff } | { ok: false; error: string }> {
  return runDiff({ a, b, baseUrls: {} });
}
