// Settings ▸ Budgets: one row per budget. The server's schema checks the values; its issues come
// back by path (budgets.N.field) and are shown under the row they point at.
import type { Budget } from '../../../electron/core/contract/settings-schema';

type Errors = Map<string, string>;

const FIELDS: [keyof Budget, string][] = [
  ['name', 'Name'],
  ['period', 'Period'],
  ['amountUsd', 'Amount'],
  ['provider', 'Provider'],
  ['policy', 'Policy'],
];

export function BudgetsEditor({
  budgets,
  providers,
  errors,
  onChange,
}: {
  budgets: Budget[];
  providers: string[];
  errors: Errors;
  onChange: (budgets: Budget[]) => void;
}) {
  const update = (i: number, b: Budget) => onChange(budgets.map((x, j) => (j === i ? b : x)));
  return (
    <div style={{ display: 'grid', gap: 6 }} data-testid="budgets-editor">
      {budgets.map((b, i) => {
        const label = `Budget ${i + 1}`;
        const problems = FIELDS.map(([k, name]) => [name, errors.get(`budgets.${i}.${k}`)] as const).filter(
          ([, m]) => m,
        );
        return (
          <div key={i} className="budget-row">
            <input
              aria-label={`${label} name`}
              placeholder="name"
              value={b.name}
              onChange={(e) => update(i, { ...b, name: e.target.value })}
              style={{ width: 140 }}
            />
            <span className="faint">$</span>
            <input
              aria-label={`${label} amount in USD`}
              type="number"
              min={0}
              step="any"
              value={Number.isNaN(b.amountUsd) ? '' : b.amountUsd}
              onChange={(e) => update(i, { ...b, amountUsd: e.target.value === '' ? NaN : Number(e.target.value) })}
              style={{ width: 90 }}
            />
            <select
              aria-label={`${label} period`}
              value={b.period}
              onChange={(e) => update(i, { ...b, period: e.target.value as Budget['period'] })}
            >
              <option value="day">per day</option>
              <option value="month">per month</option>
            </select>
            <select
              aria-label={`${label} provider`}
              value={b.provider ?? ''}
              onChange={(e) => update(i, { ...b, provider: e.target.value || undefined })}
            >
              <option value="">every provider</option>
              {[...new Set([...providers, ...(b.provider ? [b.provider] : [])])].map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
            <input
              aria-label={`${label} policy`}
              placeholder="any policy"
              value={b.policy ?? ''}
              onChange={(e) => update(i, { ...b, policy: e.target.value || undefined })}
              style={{ width: 120 }}
            />
            <label style={{ display: 'flex', gap: 4, alignItems: 'center' }}>
              <input
                type="checkbox"
                aria-label={`${label} hard cap`}
                checked={b.hardCap}
                onChange={(e) => update(i, { ...b, hardCap: e.target.checked })}
              />
              hard cap (refuse with 429 when used up)
            </label>
            <span className="spacer" />
            <button
              className="danger"
              aria-label={`Remove budget ${i + 1}`}
              onClick={() => onChange(budgets.filter((_, j) => j !== i))}
            >
              Remove
            </button>
            {problems.map(([name, m]) => (
              <div key={name} className="upstream-error" role="alert" style={{ flexBasis: '100%' }}>
                {name}: {m}
              </div>
            ))}
          </div>
        );
      })}
      <div>
        <button
          onClick={() =>
            onChange([
              ...budgets,
              { name: `budget ${budgets.length + 1}`, period: 'day', amountUsd: 10, hardCap: false },
            ])
          }
        >
          Add budget
        </button>
      </div>
    </div>
  );
}
