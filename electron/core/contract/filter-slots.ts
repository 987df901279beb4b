// The filter bar's shortcuts over the filter text: each dropdown (provider, model, policy, status,
// streamed, time range) is a "slot" that reads and writes one top-level term of the text, so the text
// stays the one filter. An item of the text belongs to a slot when every term in it is about the
// slot's field (`status>=400`, `(status:4xx OR status:5xx)`, `NOT streaming`); writing the slot
// replaces those items and leaves the rest as typed, including terms of the field mixed with others
// (`(status:5xx OR error:"timeout")`), which the slot then shows as set in the box.
import { editTopLevel, parseTopLevel, quoteValue, unquote, type QueryNode, type QueryTerm } from './filter-query';

export type Slot = 'provider' | 'model' | 'policy' | 'status' | 'streaming' | 'since';

export interface SlotValues {
  provider: string;
  model: string;
  /** null: requests without a policy (`-policy:*`). */
  policy: string | null;
  /** Status classes (the hundreds digit, 0 = no status), ORed: `(status:4xx OR status:5xx)`. */
  status: number[];
  streaming: boolean;
  /** What follows `since:`, a duration (`1h`) or a date, as written. */
  since: string;
}

export type SlotState<S extends Slot> =
  | { kind: 'unset' }
  | { kind: 'set'; value: SlotValues[S] }
  /** Terms about the slot's field that it cannot show as one value: it says "set in the box". */
  | { kind: 'complex' };

/** Whether a term is about the slot's field, whatever its shape. */
function about(slot: Slot, t: QueryTerm): boolean {
  switch (slot) {
    case 'provider':
    case 'model':
    case 'policy':
      return t.kind === 'match' && t.field === slot;
    case 'status':
      return t.kind === 'statusClass' || (t.kind === 'cmp' && t.field === 'status');
    case 'streaming':
      return t.kind === 'flag' && t.flag === 'streaming';
    case 'since':
      return t.kind === 'time' && t.bound === 'since';
  }
}

function terms(node: QueryNode): QueryTerm[] {
  if (node.kind === 'and' || node.kind === 'or') return node.items.flatMap(terms);
  if (node.kind === 'not') return terms(node.item);
  return [node];
}

/** The value an item stands for in the slot, or undefined when it has a shape the slot can't show. */
function valueOf(slot: Slot, node: QueryNode, text: string): SlotValues[Slot] | undefined {
  switch (slot) {
    case 'provider':
    case 'model':
    case 'policy':
      if (node.kind === 'match') return node.value;
      if (slot === 'policy' && node.kind === 'not' && node.item.kind === 'match' && node.item.value === '*')
        return null;
      return undefined;
    case 'status': {
      const classes = node.kind === 'or' ? node.items : [node];
      if (!classes.every((c) => c.kind === 'statusClass')) return undefined;
      return [...new Set(classes.map((c) => (c as { value: number }).value))].sort();
    }
    case 'streaming':
      return node.kind === 'flag' ? true : node.kind === 'not' && node.item.kind === 'flag' ? false : undefined;
    case 'since':
      return node.kind === 'time' ? unquote(text.slice(node.start, node.end).replace(/^[^:]*:/, '')) : undefined;
  }
}

/** The term that says the slot's value. */
export function slotTerm<S extends Slot>(slot: S, value: SlotValues[S]): string {
  switch (slot) {
    case 'policy':
      return value === null ? '-policy:*' : `policy:${quoteValue(value as string)}`;
    case 'status': {
      const classes = [...new Set(value as number[])].sort().map((c) => `status:${c}xx`);
      return classes.length === 1 ? classes[0]! : `(${classes.join(' OR ')})`;
    }
    case 'streaming':
      return value ? 'streaming' : '-streaming';
    default:
      return `${slot}:${quoteValue(value as string)}`;
  }
}

function slotItems(text: string, slot: Slot) {
  const top = parseTopLevel(text);
  const owned = new Set<number>();
  let elsewhere = false;
  top.items.forEach((it, i) => {
    const ts = terms(it.node);
    if (ts.every((t) => about(slot, t))) owned.add(i);
    else if (ts.some((t) => about(slot, t))) elsewhere = true;
  });
  return { top, owned, elsewhere };
}

/** What the text says for the slot. Throws a QuerySyntaxError when the text does not parse. */
export function readSlot<S extends Slot>(text: string, slot: S): SlotState<S> {
  const { top, owned, elsewhere } = slotItems(text, slot);
  if (owned.size === 0 && !elsewhere) return { kind: 'unset' };
  if (owned.size !== 1 || elsewhere) return { kind: 'complex' };
  const item = top.items[[...owned][0]!]!;
  const value = valueOf(slot, item.node, text);
  return value === undefined ? { kind: 'complex' } : { kind: 'set', value: value as SlotValues[S] };
}

/**
 * The text with the slot set to `value` (undefined: unset, an empty status list too): its top-level
 * items replaced by one term, in the place of the first, or ANDed at the end; the rest as typed.
 * Throws a QuerySyntaxError when the text does not parse.
 */
export function setTerm<S extends Slot>(text: string, slot: S, value: SlotValues[S] | undefined): string {
  const { top, owned } = slotItems(text, slot);
  const none = value === undefined || (Array.isArray(value) && value.length === 0);
  return editTopLevel(text, top, owned, none ? undefined : slotTerm(slot, value));
}

/**
 * The "bodies" shortcut: plain words also looked for in bodies are `W OR body:W` (the words in the
 * row's text fields, or as words in its bodies: what the box's plain words with "bodies" ticked
 * have always meant). The words, when the text is exactly that; else null. Throws a
 * QuerySyntaxError when the text does not parse.
 */
export function readWordsInBodies(text: string): string | null {
  const { tree } = parseTopLevel(text);
  if (tree?.kind !== 'or' || tree.items.length !== 2) return null;
  const [a, b] = tree.items;
  const pair = a?.kind === 'contains' && a.field === 'text' && b?.kind === 'contains' && b.field === 'body';
  return pair && a.value === b.value ? a.value : null;
}

/** Plain words as the text the "bodies" shortcut writes for them (quoted: `streaming` is a flag). */
export function wordsInBodies(words: string): string {
  const w = `"${words.trim().replace(/["\\]/g, (c) => `\\${c}`)}"`;
  return `${w} OR body:${w}`;
}
