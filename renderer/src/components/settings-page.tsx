import { useEffect, useState } from 'react';
import type { ApiIssue } from '../../../electron/core/contract/errors';
import { isApiError } from '../../../electron/core/contract/errors';
import type { PolicyRule, Settings, UpstreamSettings } from '../../../electron/core/contract/settings-schema';
import { isMaskedSecret } from '../../../electron/core/contract/secrets';
import { errorMessage, useClient } from '../lib/hooks';
import { setThemeChoice, themeChoice, type ThemeChoice } from '../lib/theme';
import { McpSetup } from './mcp-setup';
import { BudgetsEditor } from './budgets-editor';
import { OtlpEditor } from './otlp-settings';
import { Field } from './field';

// The settings form. Validation is the server's (the same zod schema that checks the settings
// file); its issues come back with a path and are shown next to the field they point at.

type Draft = Settings;
type Errors = Map<string, string>;

const pathKey = (path: (string | number)[]) => path.join('.');
const splitList = (s: string) =>
  s
    .split(/[,\n]/)
    .map((x) => x.trim())
    .filter(Boolean);

/** Applies at once and is kept by this window, apart from the proxy settings the form saves. */
function ThemeField() {
  const [choice, setChoice] = useState<ThemeChoice>(themeChoice);
  return (
    <Field
      id="s-theme"
      label="Theme"
      help="Follows the system's light or dark setting unless you pick one here. Applies at once."
    >
      <select
        id="s-theme"
        value={choice}
        onChange={(e) => {
          const next = e.target.value as ThemeChoice;
          setChoice(next);
          setThemeChoice(next);
        }}
      >
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </Field>
  );
}

/** Issues for `prefix` and everything under it, for fields that edit a whole sub-object. */
function errorsUnder(errors: Errors, prefix: string): string | undefined {
  const msgs = [...errors]
    .filter(([k]) => k === prefix || k.startsWith(`${prefix}.`))
    .map(([k, m]) => (k === prefix ? m : `${k.slice(prefix.length + 1)}: ${m}`));
  return msgs.length ? msgs.join('; ') : undefined;
}

function UpstreamRow({
  u,
  i,
  errors,
  onChange,
  onRemove,
}: {
  u: UpstreamSettings;
  i: number;
  errors: Errors;
  onChange: (u: UpstreamSettings) => void;
  onRemove: () => void;
}) {
  const [prices, setPrices] = useState(u.priceOverrides ? JSON.stringify(u.priceOverrides) : '');
  const [priceErr, setPriceErr] = useState<string | null>(null);
  const e = (k: string) => errorsUnder(errors, `upstreams.${i}.${k}`);
  return (
    <div
      className="upstream"
      style={{ border: '1px solid var(--line)', borderRadius: 4, padding: 8, display: 'grid', gap: 6 }}
    >
      <div style={{ display: 'flex', gap: 6 }}>
        <input
          aria-label={`Upstream ${i + 1} name`}
          aria-invalid={!!e('name')}
          placeholder="name"
          value={u.name}
          onChange={(ev) => onChange({ ...u, name: ev.target.value })}
          style={{ width: 120 }}
        />
        <input
          aria-label={`Upstream ${i + 1} base URL`}
          aria-invalid={!!e('baseUrl')}
          placeholder="https://api.openai.com"
          value={u.baseUrl}
          onChange={(ev) => onChange({ ...u, baseUrl: ev.target.value })}
          style={{ flex: 1 }}
        />
        <input
          aria-label={`Upstream ${i + 1} mount`}
          aria-invalid={!!e('mount')}
          placeholder={`/${u.name || 'name'}`}
          value={u.mount ?? ''}
          onChange={(ev) => onChange({ ...u, mount: ev.target.value || undefined })}
          style={{ width: 110 }}
        />
        <button className="danger" onClick={onRemove} aria-label={`Remove upstream ${i + 1}`}>
          Remove
        </button>
      </div>
      <ApiKeyField u={u} i={i} invalid={!!e('apiKey')} onChange={onChange} />
      <input
        aria-label={`Upstream ${i + 1} price overrides`}
        aria-invalid={!!(priceErr ?? e('priceOverrides'))}
        className="mono"
        placeholder='price overrides (USD / 1M tokens), e.g. {"gpt-4o-mini": {"input": 0.15, "output": 0.6}}'
        value={prices}
        onChange={(ev) => {
          setPrices(ev.target.value);
          if (!ev.target.value.trim()) return (setPriceErr(null), onChange({ ...u, priceOverrides: undefined }));
          try {
            onChange({ ...u, priceOverrides: JSON.parse(ev.target.value) as UpstreamSettings['priceOverrides'] });
            setPriceErr(null);
          } catch {
            setPriceErr('not valid JSON');
          }
        }}
      />
      {(
        [
          ['Name', e('name')],
          ['Base URL', e('baseUrl')],
          ['Mount', e('mount')],
          ['API key', e('apiKey')],
          ['Price overrides', priceErr ?? e('priceOverrides')],
          ['Headers', e('headers')],
        ] as const
      )
        .filter(([, m]) => m)
        .map(([label, m]) => (
          <div key={label} className="upstream-error" role="alert">
            {label}: {m}
          </div>
        ))}
    </div>
  );
}

/**
 * A stored key comes from the server masked ("sk-…abcd") and is never read back: the row says a
 * key is set, Replace types a new one (left empty, the stored key stays: the mask goes back
 * unchanged and the server keeps what it has), Remove drops it.
 */
function ApiKeyField({
  u,
  i,
  invalid,
  onChange,
}: {
  u: UpstreamSettings;
  i: number;
  invalid: boolean;
  onChange: (u: UpstreamSettings) => void;
}) {
  const [stored] = useState(isMaskedSecret(u.apiKey) ? u.apiKey : undefined);
  const [replacing, setReplacing] = useState(false);
  const label = `Upstream ${i + 1} API key`;
  if (stored !== undefined && u.apiKey === stored && !replacing) {
    return (
      <div className="key-set" style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
        <span aria-label={label} className="mono">
          key set ({stored})
        </span>
        <button onClick={() => setReplacing(true)} aria-label={`Replace upstream ${i + 1} API key`}>
          Replace
        </button>
        <button
          className="danger"
          onClick={() => onChange({ ...u, apiKey: undefined })}
          aria-label={`Remove upstream ${i + 1} API key`}
        >
          Remove
        </button>
      </div>
    );
  }
  return (
    <input
      aria-label={label}
      aria-invalid={invalid}
      type="password"
      placeholder={
        stored !== undefined && u.apiKey === stored
          ? `new API key (empty keeps ${stored})`
          : 'API key to inject (optional)'
      }
      value={isMaskedSecret(u.apiKey) ? '' : (u.apiKey ?? '')}
      onChange={(ev) => onChange({ ...u, apiKey: ev.target.value || (replacing ? stored : undefined) })}
    />
  );
}

/** A listen error in the user's terms, and the field it is about. */
function bindFailure(draft: Draft, message: string): [string, string] {
  if (/EADDRINUSE/.test(message)) return ['port', `Port ${draft.port} is already in use by another program.`];
  if (/EACCES/.test(message))
    return [
      'port',
      `Not allowed to listen on port ${draft.port}` +
        `${draft.port < 1024 ? ' (ports below 1024 need administrator rights)' : ''}.`,
    ];
  if (/EADDRNOTAVAIL/.test(message)) return ['host', `This machine has no address ${draft.host}.`];
  return ['port', `Could not listen: ${message}`];
}

export function SettingsPage() {
  const client = useClient();
  const [saved, setSaved] = useState<Draft | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<Errors>(new Map());
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    client.getSettings().then(
      (s) => (setSaved(s as unknown as Draft), setDraft(s as unknown as Draft)),
      (e: unknown) => setMessage({ kind: 'error', text: `Could not load settings: ${errorMessage(e)}` }),
    );
  }, [client]);

  if (!draft || !saved)
    return (
      <div className="page">
        {message ? <div className="error-box">{message.text}</div> : <span className="faint">Loading…</span>}
      </div>
    );

  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft({ ...draft, [k]: v });
  const err = (k: string) => errorsUnder(errors, k);

  const save = async () => {
    const patch: Record<string, unknown> = {};
    for (const k of Object.keys(draft) as (keyof Draft)[]) {
      if (JSON.stringify(draft[k]) !== JSON.stringify(saved[k])) patch[k] = draft[k];
    }
    if (Object.keys(patch).length === 0) return setMessage({ kind: 'ok', text: 'No changes.' });
    setBusy(true);
    try {
      const res = await client.updateSettings(patch);
      setSaved(res.settings as unknown as Draft);
      setDraft(res.settings as unknown as Draft);
      setErrors(new Map());
      setMessage({ kind: 'ok', text: res.restarted ? 'Saved. The proxy listener was restarted.' : 'Saved.' });
    } catch (e) {
      if (isApiError(e) && e.code === 'bind_failed') {
        // Not a malformed value: the port is taken or needs privileges. Say so where it was typed.
        setErrors(new Map([bindFailure(draft, e.message)]));
        setMessage({
          kind: 'error',
          text: 'Not saved: the proxy could not listen there and keeps listening where it was.',
        });
        return;
      }
      const issues: ApiIssue[] = isApiError(e) ? (e.issues ?? []) : [];
      setErrors(new Map(issues.map((i) => [pathKey(i.path), i.message])));
      setMessage({
        kind: 'error',
        text: issues.length
          ? `Not saved: ${issues.length === 1 ? 'one field needs' : `${issues.length} fields need`} attention.`
          : `Not saved: ${errorMessage(e)}`,
      });
    } finally {
      setBusy(false);
    }
  };

  const known = new Set([
    'host',
    'port',
    'upstreams',
    'policyRules',
    'captureMaxBytes',
    'redactHeaders',
    'allowedOrigins',
    'injectStreamUsage',
    'upstreamIdleTimeoutMs',
    'updates',
    'budgets',
    'otlp',
  ]);
  const unplaced = [...errors].filter(([k]) => !known.has(k.split('.')[0]!));

  return (
    <div className="page" data-testid="settings">
      <div className="form">
        {message && (
          <div className={message.kind === 'error' ? 'error-box' : 'banner'} role="status">
            {message.text}
          </div>
        )}
        {unplaced.map(([k, m]) => (
          <div key={k} className="error-box">
            {k || '(settings)'}: {m}
          </div>
        ))}
        <div className="section-title">Appearance</div>
        <ThemeField />
        <div className="section-title">Proxy</div>
        <Field
          id="s-host"
          label="Listen address"
          error={err('host')}
          help="Loopback by default; anything else exposes the proxy to your network."
        >
          <input id="s-host" value={draft.host} onChange={(e) => set('host', e.target.value)} />
        </Field>
        <Field
          id="s-port"
          label="Listen port"
          error={err('port')}
          help="0 picks a free port. A port that can't be bound is reported and the old listener keeps running."
        >
          <input
            id="s-port"
            type="number"
            value={Number.isNaN(draft.port) ? '' : draft.port}
            onChange={(e) => set('port', e.target.valueAsNumber)}
            style={{ width: 110 }}
          />
        </Field>
        <Field id="s-upstreams" label="Upstreams" error={errors.get('upstreams')}>
          <div style={{ display: 'grid', gap: 6 }}>
            {/* Placeholders name the inputs only while they are empty: a filled row needs headings. */}
            {draft.upstreams.length > 0 && (
              <div className="upstream-head" aria-hidden="true">
                <span style={{ width: 120 }}>Name</span>
                <span style={{ flex: 1 }}>Base URL</span>
                <span style={{ width: 110 }}>Mounted at</span>
                <span style={{ width: 75 }} />
              </div>
            )}
            {draft.upstreams.map((u, i) => (
              <UpstreamRow
                // A save that changed the stored key (a new mask) starts the row afresh.
                key={`${i}:${saved.upstreams[i]?.apiKey ?? ''}`}
                u={u}
                i={i}
                errors={errors}
                onChange={(nu) =>
                  set(
                    'upstreams',
                    draft.upstreams.map((x, j) => (j === i ? nu : x)),
                  )
                }
                onRemove={() =>
                  set(
                    'upstreams',
                    draft.upstreams.filter((_, j) => j !== i),
                  )
                }
              />
            ))}
            <div>
              <button onClick={() => set('upstreams', [...draft.upstreams, { name: '', baseUrl: '' }])}>
                Add upstream
              </button>
            </div>
          </div>
        </Field>
        <div className="section-title">Logging</div>
        <Field
          id="s-cap"
          label="Body capture cap (bytes)"
          error={err('captureMaxBytes')}
          help="Per body; larger bodies are still proxied in full, only the log is truncated."
        >
          <input
            id="s-cap"
            type="number"
            value={Number.isNaN(draft.captureMaxBytes) ? '' : draft.captureMaxBytes}
            onChange={(e) => set('captureMaxBytes', e.target.valueAsNumber)}
            style={{ width: 140 }}
          />
        </Field>
        <Field
          id="s-redact"
          label="Extra redacted headers"
          error={err('redactHeaders')}
          help="Comma-separated, on top of the built-in list (authorization, x-api-key, cookies…)."
        >
          <input
            id="s-redact"
            value={draft.redactHeaders.join(', ')}
            onChange={(e) => set('redactHeaders', splitList(e.target.value))}
            style={{ width: '100%' }}
          />
        </Field>
        <Field
          id="s-rules"
          label="Policy keyword rules"
          error={err('policyRules')}
          help="One per line: keyword = policy. The first keyword found in a request body names its policy."
        >
          <textarea
            id="s-rules"
            rows={4}
            style={{ width: '100%' }}
            defaultValue={draft.policyRules.map((r) => `${r.keyword} = ${r.policy}`).join('\n')}
            onChange={(e) =>
              set(
                'policyRules',
                e.target.value
                  .split('\n')
                  .filter((l) => l.trim())
                  .map((l): PolicyRule => {
                    const at = l.lastIndexOf('=');
                    return at < 0
                      ? { keyword: l.trim(), policy: '' }
                      : { keyword: l.slice(0, at).trim(), policy: l.slice(at + 1).trim() };
                  }),
              )
            }
          />
        </Field>
        <Field
          id="s-origins"
          label="Allowed browser origins"
          error={err('allowedOrigins')}
          help="Comma-separated origins allowed to call the proxy from a web page."
        >
          <input
            id="s-origins"
            value={draft.allowedOrigins.join(', ')}
            onChange={(e) => set('allowedOrigins', splitList(e.target.value))}
            style={{ width: '100%' }}
          />
        </Field>
        <Field
          id="s-usage"
          label="Stream usage"
          error={err('injectStreamUsage')}
          help="Ask OpenAI streams for token usage (the extra chunk is hidden from the client)."
        >
          <label style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
            <input
              id="s-usage"
              type="checkbox"
              checked={draft.injectStreamUsage}
              onChange={(e) => set('injectStreamUsage', e.target.checked)}
            />{' '}
            inject include_usage
          </label>
        </Field>
        <div className="section-title">Budgets</div>
        <Field
          id="s-budgets"
          label="Spending budgets"
          error={errors.get('budgets')}
          help={
            'Spend per local day or month, overall or for one provider or policy, over requests of known price. ' +
            'Crossing 50, 80 and 100 % shows a banner (and a system notification in the desktop app). With a hard ' +
            'cap, new requests in its scope get HTTP 429 (inspector_budget_exceeded) until the period ends; ' +
            'requests in flight finish.'
          }
        >
          <BudgetsEditor
            budgets={draft.budgets}
            providers={draft.upstreams.map((u) => u.name).filter(Boolean)}
            errors={errors}
            onChange={(b) => set('budgets', b)}
          />
        </Field>
        <div className="section-title">OpenTelemetry export</div>
        <OtlpEditor otlp={draft.otlp} errors={errors} onChange={(o) => set('otlp', o)} />
        <div className="section-title">Updates</div>
        <Field
          id="s-updates"
          label="Check for updates"
          error={err('updates')}
          help={
            "Once a day the desktop app asks GitHub's releases feed whether a newer version exists. " +
            'Nothing else is sent anywhere unless you turn on the OpenTelemetry export above.'
          }
        >
          <label style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
            <input
              id="s-updates"
              type="checkbox"
              checked={draft.updates.check}
              onChange={(e) => set('updates', { check: e.target.checked })}
            />{' '}
            check GitHub releases
          </label>
        </Field>
        <div className="actions">
          <button className="primary" onClick={() => void save()} disabled={busy}>
            {busy ? 'Saving…' : 'Save settings'}
          </button>
          <button onClick={() => (setDraft(saved), setErrors(new Map()), setMessage(null))} disabled={busy}>
            Revert
          </button>
        </div>
      </div>
      <McpSetup />
    </div>
  );
}
