import type { AppStatus } from '../../../electron/core/contract/types';

// The copyable lines of the empty state, built from the proxy's real address and its upstream
// mounts ('/NAME' unless the upstream says otherwise, as in the settings schema's mountOf).

export interface SetupLine {
  label: string;
  text: string;
}

const hasV1 = (baseUrl: string) => {
  try {
    return /\/v1\/?$/.test(new URL(baseUrl).pathname);
  } catch {
    return false;
  }
};

export function setupLines(status: AppStatus): SetupLine[] {
  const url = status.proxy.url;
  if (!url) return [];
  const base = url.replace(/\/$/, '');
  const lines: SetupLine[] = [];
  const ups = status.upstreams.length ? status.upstreams : [{ name: 'openai', baseUrl: 'https://api.openai.com' }];
  let curlBase: string | null = null;
  ups.forEach((u: { name: string; baseUrl: string; mount?: string }) => {
    const mount = (u.mount ?? `/${u.name}`).replace(/\/$/, '');
    const isAnthropic = /anthropic/i.test(u.name) || /anthropic\.com/i.test(u.baseUrl);
    if (isAnthropic) {
      // The Anthropic SDK appends /v1/messages itself.
      const root = hasV1(u.baseUrl) ? null : `${base}${mount}`;
      if (root) lines.push({ label: `${u.name} (Anthropic SDK)`, text: `ANTHROPIC_BASE_URL=${root}` });
    } else {
      // The OpenAI SDK's base URL includes /v1; the proxy appends the path to the upstream's.
      const sdkBase = hasV1(u.baseUrl) ? `${base}${mount}` : `${base}${mount}/v1`;
      lines.push({ label: `${u.name} (OpenAI-compatible SDK)`, text: `OPENAI_BASE_URL=${sdkBase}` });
      curlBase ??= sdkBase;
    }
  });
  if (curlBase) {
    lines.push({
      label: 'curl',
      text: `curl ${curlBase}/chat/completions -H "Authorization: Bearer $OPENAI_API_KEY" -H 'Content-Type: application/json' -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}]}'`,
    });
  }
  return lines;
}
