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

/** Every OTLP header value is a secret: the headers exist to carry credentials. */
const maskAll = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, maskSecret(value)]));

export function maskSettings(settings: Settings): Settings {
  return {
    ...settings,
    ...(settings.otlp ? { otlp: { ...settings.otlp, headers: maskAll(settings.otlp.headers) } } : {}),
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
  const otlp = unmaskOtlp(patch, current);
  if (!otlp.ok) return otlp;
  return unmaskUpstreams(otlp.patch, current);
}

/** OTLP header masks stand for the stored value of the header of the same name. */
function unmaskOtlp(patch: Record<string, unknown>, current: Settings): Unmasked {
  const otlp = patch.otlp as { headers?: unknown } | undefined;
  if (typeof otlp !== 'object' || otlp === null || typeof otlp.headers !== 'object' || otlp.headers === null)
    return { ok: true, patch };
  const issues: ApiIssue[] = [];
  const headers: Record<string, unknown> = { ...(otlp.headers as Record<string, unknown>) };
  for (const [name, value] of Object.entries(headers)) {
    if (!isMaskedSecret(value)) continue;
    const original = current.otlp?.headers[name];
    if (original !== undefined && maskSecret(original) === value) headers[name] = original;
    else
      issues.push({
        path: ['otlp', 'headers', name],
        message: 'is a masked value that matches no stored value; enter it again',
      });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, patch: { ...patch, otlp: { ...otlp, headers } } };
}

function unmaskUpstreams(patch: Record<string, unknown>, current: Settings): Unmasked {
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
