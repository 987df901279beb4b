import type { AppStatus } from '../../../electron/core/contract/types';

// The copyable lines of the empty state, built from the proxy's real address and the mount the
// core reports for each upstream ('/' for `serve --upstream URL`, else usually '/NAME').

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
  let curlBase: string | null = null;
  // No upstream, no line: any URL offered would only reach the proxy's "no upstream is mounted" 404.
  status.upstreams.forEach((u) => {
    // '/' becomes '', so the root mount's lines are the proxy's address itself.
    const mount = u.mount.replace(/\/$/, '');
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
      text:
        `curl ${curlBase}/chat/completions -H "Authorization: Bearer $OPENAI_API_KEY" -H ` +
        `'Content-Type: application/json' -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}]}'`,
    });
  }
  return lines;
}
