// The Estimate panel: what a request would cost before it is sent. Paste a prompt or a request body,
// or pick a logged request; choose the model and policy (and models to compare); the table shows the
// input tokens, output tokens and cost at p50/p90/p99, and which distribution each came from.
import { useEffect, useMemo, useState } from 'react';
import type { EstimateInput, EstimateResult, TokenDistribution } from '../../../electron/core/contract/estimate';
import type { RequestRow } from '../../../electron/core/contract/types';
import { formatCost, formatInt, formatTime } from '../lib/format';
import { errorMessage, useClient, useLiveQuery } from '../lib/hooks';

type Mode = 'prompt' | 'body' | 'request' | 'tokens';
const MODES: [Mode, string][] = [
  ['prompt', 'Prompt'],
  ['body', 'Request body'],
  ['request', 'Logged request'],
  ['tokens', 'Token count'],
];

const LEVEL: Record<string, string> = { policy_model: 'policy + model', model: 'model', global: 'all requests' };

function basisText(e: EstimateResult['estimates'][number]): string {
  if (!e.basis) return 'no samples';
  const band = e.basis.inputBand
    ? `, input ${formatInt(e.basis.inputBand.lo)}–${e.basis.inputBand.hi ? formatInt(e.basis.inputBand.hi - 1) : ''}`
    : '';
  return `${LEVEL[e.basis.level]}${band}`;
}

export function EstimatePanel() {
  const client = useClient();
  const [mode, setMode] = useState<Mode>('prompt');
  const [text, setText] = useState('');
  const [path, setPath] = useState('');
  const [requestId, setRequestId] = useState('');
  const [tokens, setTokens] = useState('');
  const [model, setModel] = useState('');
  const [policy, setPolicy] = useState('');
  const [compare, setCompare] = useState(true);
  const [result, setResult] = useState<EstimateResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const dists = useLiveQuery<TokenDistribution[]>(() => client.getTokenDistributions(), [client], 2000);
  const models = useMemo(() => [...new Set((dists.data ?? []).map((d) => d.model))].sort(), [dists.data]);
  const policies = useMemo(
    () => [...new Set((dists.data ?? []).flatMap((d) => (d.policy === null ? [] : [d.policy])))].sort(),
    [dists.data],
  );
  const [recent, setRecent] = useState<RequestRow[]>([]);
  useEffect(() => {
    if (mode !== 'request') return;
    let live = true;
    client
      .listRequests({ limit: 30 })
      .then((p) => live && setRecent(p.rows))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [client, mode]);

  const inputOf = (): EstimateInput | string => {
    const common = {
      ...(model.trim() ? { model: model.trim() } : {}),
      // An empty policy field: the logged request's (or the keyword rules') policy; "-" means none.
      ...(policy.trim() === '-' ? { policy: null } : policy.trim() ? { policy: policy.trim() } : {}),
      compare,
    };
    switch (mode) {
      case 'prompt':
        return text ? { ...common, prompt: text } : 'Paste a prompt first.';
      case 'body':
        return text.trim()
          ? { ...common, body: text, ...(path.trim() ? { path: path.trim() } : {}) }
          : 'Paste a request body (JSON) first.';
      case 'request':
        return /^\d+$/.test(requestId) ? { ...common, requestId: Number(requestId) } : 'Pick a logged request.';
      case 'tokens':
        return /^\d+$/.test(tokens)
          ? { ...common, inputTokens: Number(tokens) }
          : 'Give the input tokens as a whole number.';
    }
  };

  const run = () => {
    const input = inputOf();
    if (typeof input === 'string') return setError(input);
    setBusy(true);
    setError(null);
    client.estimate(input).then(
      (r) => {
        setResult(r);
        setBusy(false);
      },
      (e: unknown) => {
        setError(errorMessage(e));
        setBusy(false);
      },
    );
  };

  return (
    <div className="page estimate" data-testid="estimate">
      <div className="section-title">Estimate — input tokens, then output tokens and cost learned from the log</div>
      <div className="estimate-form">
        <div role="radiogroup" aria-label="Estimate from" className="estimate-modes">
          {MODES.map(([m, label]) => (
            <label key={m}>
              <input type="radio" name="estimate-mode" checked={mode === m} onChange={() => setMode(m)} /> {label}
            </label>
          ))}
        </div>
        {(mode === 'prompt' || mode === 'body') && (
          <textarea
            aria-label={mode === 'prompt' ? 'Prompt' : 'Request body'}
            rows={8}
            value={text}
            placeholder={
              mode === 'prompt'
                ? 'The prompt as the model would get it'
                : '{"model": "gpt-4o-mini", "messages": [...]}  (OpenAI chat or Responses, Anthropic, Gemini, Ollama)'
            }
            onChange={(e) => setText(e.target.value)}
          />
        )}
        {mode === 'body' && (
          <label>
            API path{' '}
            <input
              value={path}
              placeholder="/v1/messages (optional: told apart by the body)"
              onChange={(e) => setPath(e.target.value)}
            />
          </label>
        )}
        {mode === 'request' && (
          <label>
            Request{' '}
            <select aria-label="Request to estimate" value={requestId} onChange={(e) => setRequestId(e.target.value)}>
              <option value="">pick one of the newest…</option>
              {recent.map((r) => (
                <option key={r.id} value={r.id}>
                  #{r.id} {r.model || '(unknown model)'} {r.policy ? `· ${r.policy}` : ''} · {formatTime(r.timestamp)}
                </option>
              ))}
            </select>
          </label>
        )}
        {mode === 'tokens' && (
          <label>
            Input tokens{' '}
            <input
              aria-label="Input tokens"
              inputMode="numeric"
              value={tokens}
              onChange={(e) => setTokens(e.target.value)}
            />
          </label>
        )}
        <div className="estimate-options">
          <label>
            Model{' '}
            <input
              aria-label="Model"
              list="estimate-models"
              value={model}
              placeholder="from the body"
              onChange={(e) => setModel(e.target.value)}
            />
          </label>
          <datalist id="estimate-models">
            {models.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
          <label>
            Policy{' '}
            <input
              aria-label="Policy"
              list="estimate-policies"
              value={policy}
              placeholder="as the proxy would pick (- for none)"
              onChange={(e) => setPolicy(e.target.value)}
            />
          </label>
          <datalist id="estimate-policies">
            {policies.map((p) => (
              <option key={p} value={p} />
            ))}
          </datalist>
          <label title="Every model with at least 20 samples under the same policy">
            <input type="checkbox" checked={compare} onChange={(e) => setCompare(e.target.checked)} /> compare models
          </label>
          <button className="primary" onClick={run} disabled={busy}>
            {busy ? 'Estimating…' : 'Estimate'}
          </button>
        </div>
      </div>
      {error && <div className="error-box">{error}</div>}
      {result && <EstimateTable r={result} />}
    </div>
  );
}

function EstimateTable({ r }: { r: EstimateResult }) {
  const q = (x: number) => formatInt(Math.round(x));
  return (
    <>
      <div className="estimate-summary" data-testid="estimate-summary">
        <strong>{formatInt(r.inputTokens)}</strong> input tokens{' '}
        <span className="faint" title={r.tokenizer.note}>
          ({r.tokenizer.encoding ?? 'as given'}
          {r.tokenizer.exact ? '' : ', approximate'})
        </span>{' '}
        · policy {r.policy ?? <span className="faint">none</span>}
      </div>
      {r.estimates.length > 0 && (
        <div className="table-scroll">
          <table className="table" aria-label="Estimates">
            <thead>
              <tr>
                <th>Model</th>
                <th>From</th>
                <th className="num">Samples</th>
                <th className="num">Output p50</th>
                <th className="num">p90</th>
                <th className="num">p99</th>
                <th className="num">Cost p50</th>
                <th className="num">p90</th>
                <th className="num">p99</th>
              </tr>
            </thead>
            <tbody>
              {r.estimates.map((e) => (
                <tr key={e.model}>
                  <td>{e.model}</td>
                  <td className={e.fallback ? 'warn-text' : undefined} title={e.fallback ?? undefined}>
                    {basisText(e)}
                  </td>
                  <td className="num">{e.basis ? formatInt(e.basis.sampleCount) : '0'}</td>
                  <td className="num">{e.outputTokens ? q(e.outputTokens.p50) : '—'}</td>
                  <td className="num">{e.outputTokens ? q(e.outputTokens.p90) : '—'}</td>
                  <td className="num">{e.outputTokens ? q(e.outputTokens.p99) : '—'}</td>
                  <td className="num">{e.cost ? formatCost(e.cost.p50) : e.outputTokens ? 'price unknown' : '—'}</td>
                  <td className="num">{e.cost ? formatCost(e.cost.p90) : '—'}</td>
                  <td className="num">{e.cost ? formatCost(e.cost.p99) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ul className="estimate-notes">
        {r.estimates
          .filter((e) => e.fallback)
          .map((e) => (
            <li key={e.model}>
              <strong>{e.model}</strong>: {e.fallback}
            </li>
          ))}
        {r.notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
        {!r.tokenizer.exact && <li>{r.tokenizer.note}</li>}
      </ul>
    </>
  );
}
