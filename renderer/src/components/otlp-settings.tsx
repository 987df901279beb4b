// Settings ▸ OpenTelemetry export: where spans go, how, and whether message content goes with them.
// Header values are credentials: they come from the server masked ("…wxyz"), are never shown in
// clear once saved, and a mask sent back unchanged keeps the stored value (like upstream API keys).
import { useState } from 'react';
import type { OtlpSettings } from '../../../electron/core/contract/otlp-settings';
import { isMaskedSecret } from '../../../electron/core/contract/secrets';
import { Field } from './field';

type Errors = Map<string, string>;

export const OTLP_DEFAULTS: OtlpSettings = {
  enabled: false,
  protocol: 'http/protobuf',
  headers: {},
  content: false,
  contentMaxChars: 32 * 1024,
  serviceName: 'llm-request-inspector',
};

/** One header: its name, and its value typed in a password field or, once saved, shown masked. */
function HeaderRow({
  name,
  value,
  index,
  onChange,
  onRemove,
}: {
  name: string;
  value: string;
  index: number;
  onChange: (name: string, value: string) => void;
  onRemove: () => void;
}) {
  const [stored] = useState(isMaskedSecret(value) ? value : undefined);
  const [replacing, setReplacing] = useState(false);
  const label = `OTLP header ${index + 1}`;
  return (
    <div className="otlp-header-row">
      <input
        aria-label={`${label} name`}
        placeholder="Authorization"
        value={name}
        onChange={(e) => onChange(e.target.value, value)}
      />
      {stored !== undefined && value === stored && !replacing ? (
        <span className="key-set">
          <span className="mono" aria-label={`${label} value`}>
            value set ({stored})
          </span>
          <button onClick={() => setReplacing(true)} aria-label={`Replace ${label.toLowerCase()} value`}>
            Replace
          </button>
        </span>
      ) : (
        <input
          aria-label={`${label} value`}
          type="password"
          placeholder={stored !== undefined ? `new value (empty keeps ${stored})` : 'value (kept secret)'}
          value={isMaskedSecret(value) ? '' : value}
          // Emptied, the stored value stays: its mask goes back and the server keeps what it has.
          onChange={(e) => onChange(name, e.target.value || (stored ?? ''))}
        />
      )}
      <button className="danger" onClick={onRemove} aria-label={`Remove ${label.toLowerCase()}`}>
        Remove
      </button>
    </div>
  );
}

export function OtlpEditor({
  otlp,
  errors,
  onChange,
}: {
  otlp: OtlpSettings | undefined;
  errors: Errors;
  onChange: (otlp: OtlpSettings) => void;
}) {
  const o = otlp ?? OTLP_DEFAULTS;
  // Header rows as a list, so a row being renamed keeps its place (an object would reorder it).
  const [headers, setHeaders] = useState<[string, string][]>(Object.entries(o.headers));
  const set = (patch: Partial<OtlpSettings>) => onChange({ ...o, ...patch });
  const setRows = (rows: [string, string][]) => {
    setHeaders(rows);
    set({ headers: Object.fromEntries(rows.filter(([n]) => n.trim() !== '')) });
  };
  const err = (k: string) => [...errors].find(([path]) => path === `otlp.${k}` || path.startsWith(`otlp.${k}.`))?.[1];
  return (
    <div data-testid="otlp-editor">
      <Field
        id="s-otlp-enabled"
        label="Export"
        error={errors.get('otlp')}
        help={
          'Sends every finished request as an OpenTelemetry GenAI span to your collector, Langfuse, Phoenix… ' +
          'Off by default; nothing is sent anywhere unless you turn it on.'
        }
      >
        <label style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
          <input
            id="s-otlp-enabled"
            type="checkbox"
            checked={o.enabled}
            onChange={(e) => set({ enabled: e.target.checked })}
          />{' '}
          send spans over OTLP/HTTP
        </label>
      </Field>
      <Field
        id="s-otlp-endpoint"
        label="Endpoint"
        error={err('endpoint')}
        help={
          "The receiver's OTLP/HTTP address, e.g. http://127.0.0.1:4318 " +
          '(/v1/traces is added unless the URL ends with it).'
        }
      >
        <input
          id="s-otlp-endpoint"
          value={o.endpoint ?? ''}
          placeholder="http://127.0.0.1:4318"
          onChange={(e) => set({ endpoint: e.target.value === '' ? undefined : e.target.value })}
          style={{ width: '100%' }}
        />
      </Field>
      <Field id="s-otlp-protocol" label="Protocol" error={err('protocol')}>
        <select
          id="s-otlp-protocol"
          value={o.protocol}
          onChange={(e) => set({ protocol: e.target.value as OtlpSettings['protocol'] })}
        >
          <option value="http/protobuf">http/protobuf</option>
          <option value="http/json">http/json</option>
        </select>
      </Field>
      <Field
        id="s-otlp-headers"
        label="Headers"
        error={err('headers')}
        help={
          'Sent with every export (e.g. Authorization: Basic … for Langfuse). ' +
          'Values are kept secret: shown masked once saved, never logged.'
        }
      >
        <div style={{ display: 'grid', gap: 6 }}>
          {headers.map(([name, value], i) => (
            <HeaderRow
              key={i}
              index={i}
              name={name}
              value={value}
              onChange={(n, v) => setRows(headers.map((h, j) => (j === i ? [n, v] : h)))}
              onRemove={() => setRows(headers.filter((_, j) => j !== i))}
            />
          ))}
          <div>
            <button onClick={() => setRows([...headers, ['', '']])}>Add header</button>
          </div>
        </div>
      </Field>
      <Field
        id="s-otlp-service"
        label="Service name"
        error={err('serviceName')}
        help="service.name on every span: tells this machine's traffic apart in a shared store."
      >
        <input id="s-otlp-service" value={o.serviceName} onChange={(e) => set({ serviceName: e.target.value })} />
      </Field>
      <Field
        id="s-otlp-content"
        label="Message content"
        error={err('content') ?? err('contentMaxChars')}
        help={
          'Off: metadata only (models, tokens, cost, timings, errors). On: prompts and replies too, ' +
          'from the log (already redacted), each attribute cut at the size given.'
        }
      >
        <label style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
          <input
            id="s-otlp-content"
            type="checkbox"
            checked={o.content}
            onChange={(e) => set({ content: e.target.checked })}
          />{' '}
          send messages, up to
          <input
            aria-label="Characters per content attribute"
            type="number"
            value={Number.isNaN(o.contentMaxChars) ? '' : o.contentMaxChars}
            onChange={(e) => set({ contentMaxChars: e.target.valueAsNumber })}
            style={{ width: 110 }}
          />
          characters each
        </label>
      </Field>
      <Field
        id="s-otlp-backfill"
        label="Backfill from"
        error={err('backfillFrom')}
        help="Also send the requests logged before the export was turned on, from this day. Empty: only new ones."
      >
        <input
          id="s-otlp-backfill"
          type="date"
          value={o.backfillFrom?.slice(0, 10) ?? ''}
          onChange={(e) => set({ backfillFrom: e.target.value === '' ? undefined : e.target.value })}
        />
      </Field>
    </div>
  );
}
