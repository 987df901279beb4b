// Spend per UTC hour and (provider, model, policy), in memory, for the hours of windowStart():
// loaded once from the stats rollup, then kept up to date from committed rows. Budgets, the hard
// cap and the Spend view read it, so nothing on the request path (or on a push) touches SQLite.
import type { RequestRow } from '../contract/model';
import type { SpendHourRow } from '../storage/spend-query';
import { hourKey, windowStart } from './periods';

export interface Cell {
  provider: string;
  model: string;
  /** null: no policy. */
  policy: string | null;
  cost: number;
  requests: number;
  costUnknown: number;
}

/**
 * Models per hour beyond which further ones are counted under OTHER_MODEL: the model comes from
 * the client's request body (and a policy may come from its header), so without a bound a client
 * naming a new one per request could grow this map without end. At most MAX_CELLS_PER_HOUR + 100
 * cells an hour, about 20 MB over the whole window in the worst case.
 */
export const MAX_CELLS_PER_HOUR = 200;
export const OTHER_MODEL = '(other models)';
export const OTHER_POLICY = '(other policies)';

export interface Range {
  /** Inclusive and exclusive UTC hour keys. */
  fromHour: string;
  beforeHour: string;
}

export class SpendLedger {
  private readonly hours = new Map<string, Map<string, Cell>>();
  /** Hours before this are gone from memory (and ignored when a late row arrives for one). */
  private floor: string;

  constructor(now: number) {
    this.floor = hourKey(windowStart(now));
  }

  /** Replaces everything with what the rollup holds. */
  load(rows: readonly SpendHourRow[], now: number): void {
    this.hours.clear();
    this.floor = hourKey(windowStart(now));
    for (const r of rows) this.add(r.hour, r.provider, r.model, r.policy, r.cost, r.requests, r.costUnknown);
  }

  apply(rows: readonly RequestRow[]): void {
    for (const r of rows) {
      const hour = r.timestamp.slice(0, 13);
      this.add(hour, r.provider, r.model, r.policy, r.cost ?? 0, 1, r.cost === null ? 1 : 0);
    }
  }

  /** Forgets hours that fell out of the window. */
  advance(now: number): void {
    this.floor = hourKey(windowStart(now));
    for (const hour of this.hours.keys()) if (hour < this.floor) this.hours.delete(hour);
  }

  /** Every cell of the hours in range. */
  *cells(range: Range): Iterable<Cell> {
    for (const [hour, cells] of this.hours) {
      if (hour >= range.fromHour && hour < range.beforeHour) yield* cells.values();
    }
  }

  /** Spend of one hour, over the cells `match` accepts. */
  hourCost(hour: string, match: (c: Cell) => boolean = () => true): number {
    let sum = 0;
    for (const c of this.hours.get(hour)?.values() ?? []) if (match(c)) sum += c.cost;
    return sum;
  }

  /** The earliest hour holding any request, or null when there is none. */
  firstHour(): string | null {
    let first: string | null = null;
    for (const hour of this.hours.keys()) if (first === null || hour < first) first = hour;
    return first;
  }

  private add(
    hour: string,
    provider: string,
    model: string,
    policy: string | null,
    cost: number,
    requests: number,
    costUnknown: number,
  ): void {
    if (hour < this.floor) return;
    let cells = this.hours.get(hour);
    if (!cells) this.hours.set(hour, (cells = new Map()));
    let key = `${provider}\u0000${model}\u0000${policy ?? '\u0001'}`;
    let cell = cells.get(key);
    if (!cell && cells.size >= MAX_CELLS_PER_HOUR) {
      model = OTHER_MODEL;
      key = `${provider}\u0000${model}\u0000${policy ?? '\u0001'}`;
      cell = cells.get(key);
      if (!cell && cells.size >= MAX_CELLS_PER_HOUR + 100) {
        policy = OTHER_POLICY;
        key = `${provider}\u0000${model}\u0000${policy}`;
        cell = cells.get(key);
      }
    }
    if (!cell) cells.set(key, (cell = { provider, model, policy, cost: 0, requests: 0, costUnknown: 0 }));
    cell.cost += cost;
    cell.requests += requests;
    cell.costUnknown += costUnknown;
  }
}
