// The prompt cache of one request read against its previous turn: the cached tokens reported, the
// tokens the unchanged prefix should have allowed, and when they differ, why (the server's
// evidence); beside it, what the provider itself reported about its cache, as it sent it.
import { useEffect, useState } from 'react';
import type { CacheDiagnosis } from '../../../electron/core/contract/cache';
import { formatCost, formatTokens } from '../lib/format';
import { errorMessage, useClient } from '../lib/hooks';

export const VERDICT = { hit: 'cache hit', partial: 'partial hit', miss: 'cache miss', unknown: 'not known' } as const;

function gap(ms: number): string {
  if (ms >= 3_600_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 1000)} s`;
}

/** The provider's own figures, one field a line (`name: value; …` as the server joined them). */
function ProviderReport({ report }: { report: string | null }) {
  return (
    <div className="cache-provider" data-testid="cache-provider">
      <div className="cache-col-title">The provider’s report</div>
      {report ? (
        report.split('; ').map((line) => {
          const at = line.indexOf(': ');
          return (
            <div key={line} className="mono">
              <span className="faint">{line.slice(0, at)}</span> {line.slice(at + 2)}
            </div>
          );
        })
      ) : (
        <div className="faint">Only the token counts: the response carried no cache details of its own.</div>
      )}
    </div>
  );
}

export function CacheCard({ c }: { c: CacheDiagnosis }) {
  const cls = c.verdict === 'hit' ? 'badge op-added' : c.verdict === 'unknown' ? 'badge' : 'badge op-removed';
  return (
    <section className="cache-card" data-testid="cache-card">
      <div className="section-title">
        Prompt cache of #{c.id} after #{c.previousId}{' '}
        <span className={cls} data-testid="cache-verdict">
          {VERDICT[c.verdict]}
        </span>
      </div>
      <div className="cache-cols">
        <div className="cache-ours">
          <div className="cache-col-title">Our reading</div>
          <dl className="kv">
            <dt>Cached tokens (reported)</dt>
            <dd>
              {formatTokens(c.cacheReadTokens)} of {formatTokens(c.inputTokens)} input
              {c.cacheWriteTokens ? ` · ${formatTokens(c.cacheWriteTokens)} written` : ''}
            </dd>
            <dt>Previous prompt</dt>
            <dd>{formatTokens(c.previousTokens)}</dd>
            <dt>Its unchanged prefix</dt>
            <dd>
              {formatTokens(c.expectedTokens)}
              {c.previousChars > 0 && (
                <span className="faint">
                  {' '}
                  ({Math.round((100 * c.sharedChars) / c.previousChars)} % of the previous prompt unchanged)
                </span>
              )}
            </dd>
            <dt>Since the previous turn</dt>
            <dd>
              {gap(c.gapMs)}{' '}
              <span className="faint">
                (lifetime {gap(c.lifetimeMs)}: {c.lifetimeSource})
              </span>
            </dd>
            {c.missCost !== null && c.missCost > 0 && (
              <>
                <dt>The miss cost</dt>
                <dd>{formatCost(c.missCost)} more than reading those tokens from the cache</dd>
              </>
            )}
          </dl>
          {c.reasons.length > 0 && (
            <ul className="cache-reasons" data-testid="cache-reasons">
              {c.reasons.map((r) => (
                <li key={r.kind}>{r.message}</li>
              ))}
            </ul>
          )}
        </div>
        <ProviderReport report={c.providerReport} />
      </div>
    </section>
  );
}

/** A logged request's cache read against the previous turn of its thread (none for a first turn). */
export function TurnCache({ id }: { id: number }) {
  const client = useClient();
  const [state, setState] = useState<{ id: number; c: CacheDiagnosis | null; error: string | null } | null>(null);
  useEffect(() => {
    let live = true;
    client.getRequestCache({ id }).then(
      (c) => live && setState({ id, c, error: null }),
      (e: unknown) => live && setState({ id, c: null, error: errorMessage(e) }),
    );
    return () => {
      live = false;
    };
  }, [client, id]);
  if (state?.id !== id) return <div className="faint">Reading the prompt cache against the previous turn…</div>;
  if (state.error) return <div className="error-box">{state.error}</div>;
  return state.c ? <CacheCard c={state.c} /> : null;
}
