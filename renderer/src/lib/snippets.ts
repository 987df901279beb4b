import type { ConversationFormat } from '../../../electron/core/contract/conversation';

// "Copy as code": a logged request as a TypeScript or Python program that sends it again through
// the proxy, with the official SDK where there is one (OpenAI, Anthropic) and plain HTTP for the
// rest. The key comes from the environment, never from the log (which holds it redacted).

export interface SnippetInput {
  format: ConversationFormat | null;
  /** The proxy's URL, e.g. http://127.0.0.1:8080. */
  proxyUrl: string;
  /** The logged path, e.g. /openai/v1/chat/completions. */
  path: string;
  body: unknown;
}

interface Sdk {
  sdk: 'openai' | 'anthropic';
  /** What the SDK appends to its base URL for this call. */
  suffix: string;
  ts: string;
  py: string;
}

const SDK: Partial<Record<ConversationFormat, Sdk>> = {
  'openai-chat': {
    sdk: 'openai',
    suffix: '/chat/completions',
    ts: 'client.chat.completions.create',
    py: 'client.chat.completions.create',
  },
  'openai-completions': {
    sdk: 'openai',
    suffix: '/completions',
    ts: 'client.completions.create',
    py: 'client.completions.create',
  },
  'openai-responses': {
    sdk: 'openai',
    suffix: '/responses',
    ts: 'client.responses.create',
    py: 'client.responses.create',
  },
  'anthropic-messages': {
    sdk: 'anthropic',
    suffix: '/v1/messages',
    ts: 'client.messages.create',
    py: 'client.messages.create',
  },
};

const KEY_ENV: Record<string, string> = { openai: 'OPENAI_API_KEY', anthropic: 'ANTHROPIC_API_KEY' };

/** How plain HTTP authenticates: Gemini takes its own header, a local Ollama none. */
function authHeader(format: ConversationFormat | null): { name: string; env: string; prefix: string } | null {
  if (format === 'gemini') return { name: 'x-goog-api-key', env: 'GEMINI_API_KEY', prefix: '' };
  if (format === 'ollama-chat' || format === 'ollama-generate') return null;
  return { name: 'authorization', env: 'API_KEY', prefix: 'Bearer ' };
}

/** The SDK call for this request, when its path ends the way the SDK builds it. */
function sdkOf(x: SnippetInput): (Sdk & { baseURL: string }) | null {
  const sdk = x.format ? SDK[x.format] : undefined;
  const path = x.path.split('?')[0]!;
  if (!sdk || !path.endsWith(sdk.suffix)) return null;
  return { ...sdk, baseURL: x.proxyUrl.replace(/\/$/, '') + path.slice(0, -sdk.suffix.length) };
}

const streams = (body: unknown) =>
  typeof body === 'object' && body !== null && (body as Record<string, unknown>)['stream'] === true;

/** A Python literal for a JSON value: JSON's string escapes are Python's too, except that JSON
 *  never escapes `/`, so JSON.stringify's strings are valid Python strings. */
export function toPython(v: unknown, indent = ''): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'None';
  if (typeof v === 'string') return JSON.stringify(v);
  const inner = `${indent}    `;
  if (Array.isArray(v))
    return v.length === 0 ? '[]' : `[\n${v.map((x) => inner + toPython(x, inner)).join(',\n')},\n${indent}]`;
  const entries = Object.entries(v as Record<string, unknown>);
  return entries.length === 0
    ? '{}'
    : `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${toPython(x, inner)}`).join(',\n')},\n${indent}}`;
}

function tsHeaders(format: ConversationFormat | null): string {
  const auth = authHeader(format);
  return auth
    ? `{ 'content-type': 'application/json', '${auth.name}': \`${auth.prefix}\${process.env.${auth.env} ?? ''}\` }`
    : `{ 'content-type': 'application/json' }`;
}

function pyHeaders(format: ConversationFormat | null): string {
  const auth = authHeader(format);
  return auth
    ? `{"content-type": "application/json", "${auth.name}": "${auth.prefix}" + os.environ.get("${auth.env}", "")}`
    : `{"content-type": "application/json"}`;
}

export function toTypeScript(x: SnippetInput): string {
  const body = JSON.stringify(x.body, null, 2);
  const sdk = sdkOf(x);
  if (sdk) {
    const cls = sdk.sdk === 'openai' ? 'OpenAI' : 'Anthropic';
    const pkg = sdk.sdk === 'openai' ? 'openai' : '@anthropic-ai/sdk';
    const use = streams(x.body)
      ? `const stream = await ${sdk.ts}(request);\nfor await ` +
        `(const event of stream) console.log(JSON.stringify(event));`
      : `const response = await ${sdk.ts}(request);\nconsole.log(JSON.stringify(response, null, 2));`;
    return `import ${cls} from '${pkg}';

// Sent through LLM Request Inspector's proxy, so the run is logged too.
const client = new ${cls}({ baseURL: ${JSON.stringify(sdk.baseURL)}, apiKey: process.env.${KEY_ENV[sdk.sdk]} });

const request: any = ${body};

${use}
`;
  }
  const url = x.proxyUrl.replace(/\/$/, '') + x.path;
  return `// Sent through LLM Request Inspector's proxy, so the run is logged too.
const request = ${body};

const response = await fetch(${JSON.stringify(url)}, {
  method: 'POST',
  headers: ${tsHeaders(x.format)},
  body: JSON.stringify(request),
});
console.log(response.status, await response.text());
`;
}

export function toPythonProgram(x: SnippetInput): string {
  const body = toPython(x.body);
  const sdk = sdkOf(x);
  if (sdk) {
    const cls = sdk.sdk === 'openai' ? 'OpenAI' : 'Anthropic';
    const use = streams(x.body)
      ? `for event in ${sdk.py}(**request):\n    print(event)`
      : `response = ${sdk.py}(**request)\nprint(response)`;
    return `import os

from ${sdk.sdk} import ${cls}

# Sent through LLM Request Inspector's proxy, so the run is logged too.
client = ${cls}(base_url=${JSON.stringify(sdk.baseURL)}, api_key=os.environ["${KEY_ENV[sdk.sdk]}"])

request = ${body}

${use}
`;
  }
  const url = x.proxyUrl.replace(/\/$/, '') + x.path;
  return `import json
import os
import urllib.request

# Sent through LLM Request Inspector's proxy, so the run is logged too.
request = ${body}

req = urllib.request.Request(
    ${JSON.stringify(url)},
    data=json.dumps(request).encode(),
    headers=${pyHeaders(x.format)},
    method="POST",
)
with urllib.request.urlopen(req) as response:
    print(response.status, response.read().decode())
`;
}
