// The prompt cache of one request read against its previous turn: the cached tokens reported, the
// tokens the unchanged prefix should have allowed, and when they differ, why (the server's
// evidence), with the provider's own cache figures beside ours.
import type { CacheDiagnosis } from '../../../electron/core/contract/cache';
import { formatCost, formatTokens } from '../lib/format';

const VERDICT = { hit: 'cache hit', partial: 'partial hit', miss: 'cache miss', unknown: 'not known' } as const;

function gap(ms: number): string {
  if (ms >= 3_600_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 1000)} s`;
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
        {c.providerReport && (
          <>
            <dt>Provider’s figures</dt>
            <dd className="mono">{c.providerReport}</dd>
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
    </section>
  );
}
