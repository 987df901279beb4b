import { systemClock, type Clock } from '../../../electron/core/contract/throttle';

// Keeps a derived view (stats, token ratios) in step with live rows without flooding the server:
// a refresh asked for while none is running starts at once, one asked for while a query is in
// flight waits for it and then runs once for all of them. So the view trails the newest batch
// by one query's duration, and a slow query (seconds, over a large log with a text filter) can
// never pile up behind itself. `minGapMs` also spaces the starts of cheap queries under heavy
// traffic, when a batch lands every 100 ms, and a slow query (≥ 500 ms) is followed by a rest
// three times its length, so the server's reader thread spends at most a quarter of its time on
// this view (a 2 s text-filtered scan refreshes every 8 s, a 1 ms rollup read every 250 ms).
// Quick queries earn no rest: their round trip under load is mostly waiting behind other calls
// on the connection, not work, and resting on it left the totals a second or more behind.

/** The gate's timers: a fake clock in tests. */
export type Timers = Clock;

/** Rest after a slow query, in multiples of its duration: busy at most 1 / (1 + REST_FACTOR) of the time. */
const REST_FACTOR = 3;
const SLOW_MS = 500;

export class RefreshGate {
  private inFlight = false;
  private dirty = false;
  private lastStart = -Infinity;
  /** When the last query finished, and the rest it earned: three times its duration. */
  private restUntil = -Infinity;
  private timer: unknown = null;
  private disposed = false;

  constructor(
    private readonly run: () => Promise<unknown>,
    private readonly minGapMs: number,
    private readonly timers: Timers = systemClock,
  ) {}

  /** New rows arrived: refresh as soon as the gate allows. */
  request(): void {
    if (this.disposed) return;
    if (this.inFlight || this.timer !== null) {
      this.dirty = true;
      return;
    }
    const wait = Math.max(this.lastStart + this.minGapMs, this.restUntil) - this.timers.now();
    if (wait > 0) {
      this.timer = this.timers.setTimeout(() => {
        this.timer = null;
        this.start();
      }, wait);
    } else {
      this.start();
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private start(): void {
    if (this.disposed) return;
    this.inFlight = true;
    this.dirty = false;
    this.lastStart = this.timers.now();
    const started = this.lastStart;
    const done = () => {
      this.inFlight = false;
      const end = this.timers.now();
      this.restUntil = end - started >= SLOW_MS ? end + REST_FACTOR * (end - started) : -Infinity;
      if (this.dirty) this.request();
    };
    // A failing query is the view's to report; the gate only needs to know it is over.
    this.run().then(done, done);
  }
}
