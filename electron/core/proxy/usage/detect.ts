// Which API a request speaks, from its method and path (the path after the proxy's mount).
// Matched on path suffixes so prefixes of gateways and compatible servers still match:
// OpenRouter's /api/v1/chat/completions, Azure's /openai/deployments/NAME/chat/completions,
// Vertex AI's /v1/projects/P/locations/L/publishers/google/models/M:generateContent.

import type { ApiFormat } from './types';

const GEMINI = /\/models\/([^/:]+):(stream)?generatecontent$/i;
const AZURE_DEPLOYMENT = /\/deployments\/([^/]+)\//;

function pathOnly(path: string): string {
  const q = path.search(/[?#]/);
  const p = q === -1 ? path : path.slice(0, q);
  // A trailing slash doesn't change the endpoint.
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

export function detectFormat(method: string, path: string): ApiFormat {
  // Every generation endpoint is a POST; a GET of /v1/responses/ID or a stored completion
  // returns an earlier generation's usage, which must not be counted again.
  if (method.toUpperCase() !== 'POST') return 'unknown';
  const p = pathOnly(path).toLowerCase();
  if (p.endsWith('/chat/completions')) return 'openai-chat';
  if (p.endsWith('/completions')) return 'openai-completions';
  if (p.endsWith('/responses')) return 'openai-responses';
  // OpenAI's Assistants API also has .../threads/ID/messages; it is not Anthropic.
  if (p.endsWith('/messages') && !p.includes('/threads/')) return 'anthropic-messages';
  if (GEMINI.test(p)) return 'gemini';
  if (p.endsWith('/api/chat')) return 'ollama-chat';
  if (p.endsWith('/api/generate')) return 'ollama-generate';
  return 'unknown';
}

/** The model named in the path: Gemini's `models/M:generateContent`, Azure's deployment name. */
export function modelFromPath(path: string): string | null {
  const p = pathOnly(path);
  const g = GEMINI.exec(p);
  if (g?.[1]) return safeDecode(g[1]);
  const a = AZURE_DEPLOYMENT.exec(p);
  return a?.[1] ? safeDecode(a[1]) : null;
}

/** Gemini streams are chosen by endpoint, not by a body flag. */
export function isGeminiStreamPath(path: string): boolean {
  return /:streamgeneratecontent$/i.test(pathOnly(path));
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
