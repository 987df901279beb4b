// Inspection is everything the proxy does to READ an exchange rather than to carry it: parsing the
// request, the include_usage rewrite, usage parsing, the capture, the usage-chunk filter's
// bookkeeping, progress events, building the row. None of it may break the exchange. Every step
// of it on the request path runs through one Inspection per exchange: a throw in a step is
// recorded, the step's product falls back (no usage, no capture…), the step is not run again for
// that exchange (its state may be half-updated), and the row carries a note saying what failed.
// The bytes between client and upstream never depend on a step succeeding.

export type InspectionStep = 'request' | 'include_usage' | 'usage' | 'capture' | 'usage filter' | 'progress' | 'row';

/** A note is one line in the row's error_message; a message longer than this is cut. */
const MAX_NOTE_CHARS = 300;
/** Notes kept per exchange: the first few say what went wrong; more would only fill the log. */
const MAX_NOTES = 4;

export class Inspection {
  // Made on the first failure or note: one exchange in many has either, and every exchange has an Inspection.
  private failed: Set<InspectionStep> | null = null;
  private notes: string[] | null = null;

  /** `fn()`, or `fallback` when it throws or when this step already failed for this exchange. */
  run<T>(step: InspectionStep, fn: () => T, fallback: T): T {
    if (this.failed?.has(step) === true) return fallback;
    try {
      return fn();
    } catch (error) {
      this.fail(step, error);
      return fallback;
    }
  }

  /** Records a failure reported by a step that cannot throw to us (a stream, an async callback). */
  fail(step: InspectionStep, error: unknown): void {
    this.failed ??= new Set();
    if (this.failed.has(step)) return;
    this.failed.add(step);
    this.note(`inspection failed (${step}): ${error instanceof Error ? error.message : String(error)}`);
  }

  hasFailed(step: InspectionStep): boolean {
    return this.failed?.has(step) === true;
  }

  /** Something the row should say although nothing failed (e.g. a usage count that was not plausible). */
  note(text: string): void {
    this.notes ??= [];
    if (this.notes.length < MAX_NOTES)
      this.notes.push(text.length > MAX_NOTE_CHARS ? `${text.slice(0, MAX_NOTE_CHARS - 1)}…` : text);
  }

  /** The notes as one line for error_message, or null. */
  summary(): string | null {
    return this.notes === null || this.notes.length === 0 ? null : this.notes.join('; ');
  }
}

/** error_message with the inspection's notes after the outcome's own message (which stays first). */
export function withNotes(message: string | null, notes: string | null): string | null {
  if (notes === null) return message;
  return message === null ? notes : `${message}; ${notes}`;
}
