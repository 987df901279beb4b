// Resend and Edit and resend: what the server says a resend of this request leaves out (headers
// redacted at capture), whether a key must be pasted (held in this component's state for the one
// call, never stored), and for an edit the body as JSON with the model and main parameters as
// fields. The send goes through the proxy like any request; the page then follows the new row.
import { useEffect, useMemo, useState } from 'react';
import type { ResendPreview, ResendResult } from '../../../electron/core/contract/resend';
import { errorMessage, useClient } from '../lib/hooks';
import { Dialog } from './dialogs';

/** Top-level body fields shown as inputs when present (the model always). */
const PARAM_FIELDS = ['temperature', 'top_p', 'max_tokens', 'max_completion_tokens', 'max_output_tokens'] as const;

interface Props {
  id: number;
  /** The stored body, for an edit; null: resend as it was. */
  editBody: string | null;
  onSent: (result: ResendResult) => void;
  onClose: () => void;
}

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

type Parsed = { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

function parse(text: string): Parsed {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, error: 'not a JSON object' };
    return { ok: true, value: v as Record<string, unknown> };
  } catch (e) {
    return { ok: false, error: errorMessage(e) };
  }
}

export function ResendDialog({ id, editBody, onSent, onClose }: Props) {
  const client = useClient();
  const [preview, setPreview] = useState<ResendPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [apiKey, setApiKey] = useState('');
  const [text, setText] = useState(() => (editBody === null ? '' : pretty(editBody)));
  const parsed = useMemo(() => (editBody === null ? null : parse(text)), [editBody, text]);

  useEffect(() => {
    client.resendPreview({ id }).then(setPreview, (e: unknown) => setError(errorMessage(e)));
  }, [client, id]);

  const setField = (name: string, raw: string) => {
    if (!parsed?.ok) return;
    const value = name === 'model' || raw === '' || Number.isNaN(Number(raw)) ? raw : Number(raw);
    setText(JSON.stringify({ ...parsed.value, [name]: value }, null, 2));
  };

  // An edit brings a whole body of its own, so a request cut at capture can still be edited and sent.
  const refused = editBody === null && !!preview?.refusal;
  const canSend =
    !!preview && !busy && !refused && (!preview.needsKey || apiKey.trim() !== '') && (parsed === null || parsed.ok);

  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await client.resendRequest({
        id,
        ...(editBody === null ? {} : { body: text }),
        ...(preview?.needsKey ? { apiKey: apiKey.trim() } : {}),
      });
      onSent(result);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  const fields = parsed?.ok ? ['model', ...PARAM_FIELDS.filter((f) => f in parsed.value)] : [];
  return (
    <Dialog title={editBody === null ? `Resend #${id}` : `Edit and resend #${id}`} onClose={onClose}>
      <div className="resend" data-testid="resend-dialog">
        {!preview && !error && <span className="faint">Checking…</span>}
        {preview && (
          <>
            <div>
              Sent again through the proxy to <strong>{preview.upstream || 'its upstream'}</strong>
              {preview.streaming ? '; the reply streams into the detail' : ''}, logged as a new request linked to #{id},
              then compared with it.
            </div>
            {preview.refusal && <div className={refused ? 'error-box' : 'note'}>{preview.refusal}</div>}
            <div data-testid="resend-left-out">
              {preview.leftOut.length === 0
                ? 'Every client header is replayed.'
                : `Not replayed (redacted at capture): ${preview.leftOut.join(', ')}.`}
            </div>
            {preview.needsKey ? (
              <label className="field">
                <span>
                  The upstream has no API key in settings and this request’s key was redacted. Paste a key for this send
                  ({preview.keyHeader}); it is used for this one request and never stored or logged.
                </span>
                <input
                  type="password"
                  autoComplete="off"
                  value={apiKey}
                  onChange={(e) => setApiKey(e.target.value)}
                  placeholder="API key for this send"
                  aria-label="API key for this send"
                />
              </label>
            ) : (
              !refused && (
                <div className="faint">The proxy injects the upstream’s key from settings, if it has one.</div>
              )
            )}
          </>
        )}
        {editBody !== null && (
          <>
            {fields.length > 0 && (
              <div className="resend-fields">
                {fields.map((f) => (
                  <label key={f} className="field">
                    {f}
                    <input
                      aria-label={f}
                      value={parsed?.ok && parsed.value[f] !== undefined ? String(parsed.value[f]) : ''}
                      onChange={(e) => setField(f, e.target.value)}
                    />
                  </label>
                ))}
              </div>
            )}
            <textarea
              className="resend-body mono"
              aria-label="Request body"
              spellCheck={false}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
            {parsed && !parsed.ok && <div className="upstream-error">Not valid JSON: {parsed.error}</div>}
          </>
        )}
        {error && <div className="error-box">{error}</div>}
        <div className="buttons">
          <button onClick={onClose}>Cancel</button>
          <button className="primary" disabled={!canSend} onClick={() => void send()}>
            {busy ? 'Sending…' : 'Send'}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
