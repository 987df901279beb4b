// A GitHub-releases-shaped feed on 127.0.0.1: `GET /repos/o/r/releases/latest` answers the
// release set with `publish()` (or the status set with `fail()`), and every request is counted,
// so a test can prove that no request was made at all.
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRelease {
  tag_name: string;
  html_url: string;
  draft?: boolean;
  prerelease?: boolean;
  assets?: { name: string; browser_download_url: string }[];
}

export interface FakeReleaseFeed {
  /** The URL the checker is given (GitHub's /releases/latest shape). */
  url: string;
  requests: { path: string; headers: IncomingMessage['headers'] }[];
  publish(release: FakeRelease): void;
  fail(status: number): void;
  close(): Promise<void>;
}

export function release(version: string): FakeRelease {
  return {
    tag_name: `v${version}`,
    html_url: `https://github.com/o/r/releases/tag/v${version}`,
    assets: [
      {
        name: `llm-request-inspector-${version}-x86_64.AppImage`,
        browser_download_url: `https://github.com/o/r/releases/download/v${version}/x.AppImage`,
      },
    ],
  };
}

export async function startFakeReleaseFeed(): Promise<FakeReleaseFeed> {
  let answer: { status: number; body: unknown } = { status: 404, body: { message: 'Not Found' } };
  const requests: FakeReleaseFeed['requests'] = [];
  const server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', headers: req.headers });
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/repos/o/r/releases/latest`,
    requests,
    publish: (r) => void (answer = { status: 200, body: r }),
    fail: (status) => void (answer = { status, body: { message: 'Server Error' } }),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
