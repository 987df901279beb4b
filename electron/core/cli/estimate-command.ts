// `llm-request-inspector estimate` and the MCP server's `estimate` tool: the contract's estimate over
// the log read-only, priced with the app's settings (price overrides, keyword policy rules) when
// they can be read.
import { readFile } from 'node:fs/promises';
import { isApiError } from '../contract/errors';
import { estimateInput, type EstimateResult, type Quantiles } from '../contract/estimate';
import { runEstimate } from '../inspect/estimate';
import { defaultSettingsPath } from '../paths';
import { loadSettings, settingsSchema, type Settings } from '../settings';
import type { LogReader } from '../storage/open-readonly';
import { table } from './format';
import { UsageError } from './log-access';

/** The app's settings, or the defaults when there are none (or they can't be read: an estimate still helps). */
async function settingsForPrices(): Promise<Settings> {
  try {
    return await loadSettings(defaultSettingsPath());
  } catch {
    return settingsSchema.parse({});
  }
}

/**
 * Validates `input` as the contract does and estimates; a mistake in it is a UsageError with the contract's
 * message.
 */
export async function estimateFromLog(log: LogReader, input: unknown): Promise<EstimateResult> {
  const parsed = estimateInput.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new UsageError(`invalid ${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`);
  }
  try {
    return await runEstimate(parsed.data, log, await settingsForPrices());
  } catch (e) {
    if (isApiError(e)) throw new UsageError(e.message);
    throw e;
  }
}

const tokens = (q: Quantiles | null) =>
  q === null ? '-' : `${Math.round(q.p50)} / ${Math.round(q.p90)} / ${Math.round(q.p99)}`;
const usd = (x: number) => (x < 0.01 ? `$${x.toPrecision(2)}` : `$${x.toFixed(4)}`);
const dollars = (q: Quantiles | null) =>
  q === null ? 'price unknown' : `${usd(q.p50)} / ${usd(q.p90)} / ${usd(q.p99)}`;

export function estimateText(r: EstimateResult): string {
  const lines = [
    `input: ${r.inputTokens} tokens (${r.tokenizer.note}); policy: ${r.policy ?? '(none)'}`,
    table(
      ['MODEL', 'FROM', 'SAMPLES', 'OUTPUT p50 / p90 / p99', 'COST p50 / p90 / p99'],
      r.estimates.map((e) => [
        e.model,
        e.basis === null
          ? 'no samples'
          : e.basis.level +
            (e.basis.inputBand ? ` (input ${e.basis.inputBand.lo}-${e.basis.inputBand.hi ?? '∞'})` : ''),
        e.basis === null ? '0' : String(e.basis.sampleCount),
        tokens(e.outputTokens),
        dollars(e.cost),
      ]),
    ),
    ...r.estimates.filter((e) => e.fallback).map((e) => `${e.model}: ${e.fallback}`),
    ...r.notes,
  ];
  return lines.join('\n');
}

/**
 * Options → the contract's input: exactly one of --body, --request, --tokens, or the prompt (argument or
 * --prompt-file).
 */
export async function estimateInputOf(
  values: Record<string, string | boolean | undefined>,
  positionals: string[],
): Promise<Record<string, unknown>> {
  const str = (k: string) => (typeof values[k] === 'string' ? values[k] : undefined);
  const int = (k: string) => {
    const v = str(k);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new UsageError(`--${k} must be a whole number, got "${v}"`);
    return Number(v);
  };
  const read = (file: string) => (file === '-' ? readStdin() : readFile(file, 'utf8'));
  const body = str('body');
  const promptFile = str('prompt-file');
  const input: Record<string, unknown> = {
    model: str('model'),
    models: str('models')
      ?.split(',')
      .map((m) => m.trim())
      .filter(Boolean),
    policy: str('policy'),
    compare: values['compare'] === true,
    path: str('path'),
    format: str('format'),
    inputTokens: int('tokens'),
    requestId: int('request'),
    body: body === undefined ? undefined : await read(body),
    prompt: promptFile !== undefined ? await read(promptFile) : positionals.length ? positionals.join(' ') : undefined,
  };
  for (const k of Object.keys(input)) if (input[k] === undefined) delete input[k];
  return input;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
