// settings:get and settings:update as the page sees them: secrets masked on the way out (see
// contract/secrets.ts), and a mask sent back resolved to the stored secret it stands for, so
// saving a form that never showed the key keeps it. A mask that stands for nothing stored is
// refused: the page would otherwise save "sk-…abcd" as the key.
import { isMaskedSecret, maskSecret, SECRET_HEADER_NAME } from '../contract/secrets';
import type { Settings, UpstreamSettings } from '../contract/settings-schema';
import type { ApiIssue } from '../contract/errors';

function maskHeaders(headers: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!headers) return headers;
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, SECRET_HEADER_NAME.test(name) ? maskSecret(value) : value]),
  );
}

export function maskSettings(settings: Settings): Settings {
  return {
    ...settings,
    upstreams: settings.upstreams.map((u) => ({
      ...u,
      ...(u.apiKey === undefined ? {} : { apiKey: maskSecret(u.apiKey) }),
      ...(u.headers === undefined ? {} : { headers: maskHeaders(u.headers) }),
    })),
  };
}

export type Unmasked = { ok: true; patch: Record<string, unknown> } | { ok: false; issues: ApiIssue[] };

/**
 * Replaces masks in `patch.upstreams` by the stored values they stand for: the same upstream
 * (by name, else the one at the same position, so renaming a row keeps its key) whose stored
 * value has that mask. Anything else in the patch passes through for the schema to judge.
 */
export function unmaskPatch(patch: Record<string, unknown>, current: Settings): Unmasked {
  const upstreams = patch.upstreams;
  if (!Array.isArray(upstreams)) return { ok: true, patch };
  const issues: ApiIssue[] = [];
  const resolved = upstreams.map((raw: unknown, index) => {
    if (typeof raw !== 'object' || raw === null) return raw;
    const u = raw as Partial<UpstreamSettings> & Record<string, unknown>;
    const stored = current.upstreams.find((s) => s.name === u.name) ?? current.upstreams[index];
    const out: Record<string, unknown> = { ...u };
    if (isMaskedSecret(u.apiKey)) {
      if (stored?.apiKey !== undefined && maskSecret(stored.apiKey) === u.apiKey) out.apiKey = stored.apiKey;
      else
        issues.push({
          path: ['upstreams', index, 'apiKey'],
          message: 'is a masked key that matches no stored key; enter the key again',
        });
    }
    if (typeof u.headers === 'object' && u.headers !== null) {
      const headers: Record<string, unknown> = { ...u.headers };
      for (const [name, value] of Object.entries(headers)) {
        if (!isMaskedSecret(value)) continue;
        const original = stored?.headers?.[name];
        if (original !== undefined && maskSecret(original) === value) headers[name] = original;
        else
          issues.push({
            path: ['upstreams', index, 'headers', name],
            message: 'is a masked value that matches no stored value; enter it again',
          });
      }
      out.headers = headers;
    }
    return out;
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, patch: { ...patch, upstreams: resolved } };
}
