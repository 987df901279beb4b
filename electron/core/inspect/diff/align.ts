// Aligns two sequences by content (jsdiff's array diff over their keys), then reads a removal
// followed by an addition as changes, pairwise by position, where the caller says the two items
// are the same kind of thing (a message of the same role): that is how an edited message shows as
// "changed" with its text diff rather than as one message removed and another added.
import { diffArrays } from 'diff';
import type { ChangeOp } from '../../contract/diff';

export interface Aligned {
  op: ChangeOp;
  a: number | null;
  b: number | null;
}

export function align(
  aKeys: readonly string[],
  bKeys: readonly string[],
  pairable: (a: number, b: number) => boolean = () => true,
): Aligned[] {
  const out: Aligned[] = [];
  let i = 0;
  let j = 0;
  let removed: number[] = [];
  let added: number[] = [];
  const flush = () => {
    let r = 0;
    let d = 0;
    while (r < removed.length || d < added.length) {
      const ra = removed[r];
      const db = added[d];
      if (ra !== undefined && db !== undefined && pairable(ra, db)) {
        out.push({ op: 'changed', a: ra, b: db });
        r++;
        d++;
      } else if (ra !== undefined && (db === undefined || ra - (removed[0] ?? 0) <= db - (added[0] ?? 0))) {
        out.push({ op: 'removed', a: ra, b: null });
        r++;
      } else {
        out.push({ op: 'added', a: null, b: db! });
        d++;
      }
    }
    removed = [];
    added = [];
  };
  for (const c of diffArrays(aKeys as string[], bKeys as string[])) {
    if (c.removed) for (let k = 0; k < c.count; k++) removed.push(i++);
    else if (c.added) for (let k = 0; k < c.count; k++) added.push(j++);
    else {
      flush();
      for (let k = 0; k < c.count; k++) out.push({ op: 'same', a: i++, b: j++ });
    }
  }
  flush();
  return out;
}
