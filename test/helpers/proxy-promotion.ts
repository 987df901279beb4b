// Prints how many bytes of the proxy's finished exchanges V8's minor GCs promoted to the old generation,
// per request: one JSON line, for promotion.test.ts. Run bundled, with --expose-gc, in a process of its
// own so nothing else allocates in the heap it measures.
//
// A finished exchange is garbage; a bare http-proxy promotes ~0.2 KB per request under load. Something
// long-lived that still reaches finished exchanges (or that V8's scavenger treats as a root, like the
// old-generation tables of a churned Set) makes each minor GC copy them and then promote them.
import { Agent, request } from 'node:http';
import { getHeapSpaceStatistics } from 'node:v8';
import { settingsSchema } from '../../electron/core/contract/settings-schema';
import { createCoreEvents } from '../../electron/core/core-events';
import { withLiveReplies } from '../../electron/core/inspect/conversation/live-replies';
import { ProxyServer } from '../../electron/core/proxy';
import type { LogRecord } from '../../electron/core/storage';
import { startFakeUpstream } from './fake-upstream';

const REQUESTS = 1500;
const CONCURRENCY = 10;
const BODY = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(960) }] });
const gc = (globalThis as { gc?: (options?: { type: 'minor' | 'major' }) => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');
const oldSpaceUsed = () => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')!.space_used_size;

const upstream = await startFakeUpstream({ reply: 'The quick brown fox jumps over the lazy dog. '.repeat(20) });
const settings = settingsSchema.parse({
  host: '127.0.0.1',
  port: 0,
  upstreams: [{ name: 'fake', baseUrl: upstream.url, mount: '/' }],
});
let rows = 0;
// Wired as the app core wires it: the proxy's in-flight events go through the live replies.
const proxy = new ProxyServer(
  settings,
  { enqueue: (_record: LogRecord) => void rows++ },
  withLiveReplies(createCoreEvents()),
);
const { port } = await proxy.start();
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

const send = () =>
  new Promise<void>((resolve, reject) => {
    const req = request({ port, host: '127.0.0.1', path: '/v1/chat/completions', method: 'POST', agent }, (res) =>
      res.resume().on('end', resolve).on('error', reject),
    );
    req.on('error', reject);
    req.setHeader('content-type', 'application/json');
    req.end(BODY);
  });
const sendMany = async (n: number) => {
  let next = 0;
  const lane = async () => {
    while (next++ < n) {
      await send();
      // The fake upstream keeps what it received, for tests: here that would be promoted too.
      upstream.requests.splice(0);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  await proxy.whenIdle();
};

// Warm up (sockets, parsers, compiled code), then move everything alive now to the old generation:
// the proxy's own long-lived structures are there from here on, as in a process that has run a while.
await sendMany(50);
gc();
gc();
const before = oldSpaceUsed();
await sendMany(REQUESTS);
// Two scavenges: whatever survives the second is promoted, as it would be under steady load.
gc({ type: 'minor' });
gc({ type: 'minor' });
const promoted = oldSpaceUsed() - before;
console.log(JSON.stringify({ requests: REQUESTS, rows, promotedPerRequest: promoted / REQUESTS }));
agent.destroy();
await proxy.stop();
await upstream.close();
