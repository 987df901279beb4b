// Decodes media base64 into a Blob off the page's main thread: a 5 MB image is ~7 MB of base64,
// whose decoding and copying into a Blob took tens of milliseconds per image on the main thread.
// The blob: URL is made here too (making it on the page from a 5 MB Blob still cost ~20 ms there);
// it belongs to this worker, which lives as long as the page, and is revoked here when asked.
import { decodeSync, sniff } from './base64';

type Job = { id: number; b64: string; type: string | null } | { revoke: string };

const scope = self as unknown as { onmessage: ((e: MessageEvent<Job>) => void) | null; postMessage(m: unknown): void };

scope.onmessage = (e) => {
  const job = e.data;
  if ('revoke' in job) return URL.revokeObjectURL(job.revoke);
  const { id, b64, type } = job;
  try {
    const bytes = decodeSync(b64);
    scope.postMessage({ id, url: URL.createObjectURL(new Blob([bytes], { type: type ?? sniff(bytes) })) });
  } catch (err) {
    scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
