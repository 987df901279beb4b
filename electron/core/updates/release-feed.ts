// Reading GitHub's releases API: GET /repos/OWNER/REPO/releases/latest (one release object) or
// /releases (an array, newest first). Only what the update check needs is read and validated;
// drafts and pre-releases are never offered. The request carries no cookies, no identifiers and
// no body: the feed learns an IP address and a User-Agent with the app's version, nothing else.
import { z } from 'zod';
import { compareVersions, parseVersion, type Version } from './version';

const releaseSchema = z.object({
  tag_name: z.string(),
  html_url: z.string().url(),
  draft: z.boolean().optional(),
  prerelease: z.boolean().optional(),
  assets: z.array(z.object({ name: z.string(), browser_download_url: z.string().url() })).optional(),
});

const feedSchema = z.union([releaseSchema, z.array(releaseSchema)]);

export interface Release {
  version: string;
  parsed: Version;
  /** The release's page, for the user to open. */
  pageUrl: string;
  assets: { name: string; url: string }[];
}

export class FeedError extends Error {
  override readonly name = 'FeedError';
}

/** The newest published (not draft, not pre-release) release in a feed body, or null. */
export function newestRelease(body: unknown): Release | null {
  const parsed = feedSchema.safeParse(body);
  if (!parsed.success) throw new FeedError('the release feed did not answer with GitHub releases');
  const list = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
  let best: Release | null = null;
  for (const r of list) {
    if (r.draft === true || r.prerelease === true) continue;
    const version = parseVersion(r.tag_name);
    if (!version || version.pre.length > 0) continue;
    if (best && compareVersions(version, best.parsed) <= 0) continue;
    best = {
      version: `${version.major}.${version.minor}.${version.patch}`,
      parsed: version,
      pageUrl: r.html_url,
      assets: (r.assets ?? []).map((a) => ({ name: a.name, url: a.browser_download_url })),
    };
  }
  return best;
}

export interface FeedRequest {
  userAgent: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

export async function fetchNewestRelease(feedUrl: string, request: FeedRequest): Promise<Release | null> {
  const doFetch = request.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(feedUrl, {
      headers: { accept: 'application/vnd.github+json', 'user-agent': request.userAgent },
      credentials: 'omit',
      redirect: 'follow',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new FeedError(`could not reach the release feed (${cause ?? (error as Error).message})`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new FeedError(`the release feed answered ${res.status}`);
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new FeedError('the release feed did not answer with JSON');
  }
  return newestRelease(body);
}
