// A stream's head reaches the client when the upstream sends it, before any event: an SDK returns its
// stream object on the head, and an LLM's first token may come seconds later.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/proxy-harness';

let h: Harness | null = null;
let gate: Server | null = null;
afterEach(async () => {
  await h?.close();
  gate?.closeAllConnections();
  await new Promise((resolve) => gate?.close(resolve));
});

it('sends the head of a stream before its first event, and the events after it unchanged', async () => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  // An upstream that sends its head, then its event only once the client has seen that head.
  gate = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.flushHeaders();
    void released.then(() => res.end('data: {"choices":[]}\n\ndata: [DONE]\n\n'));
  });
  await new Promise<void>((resolve) => gate!.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(gate.address() as AddressInfo).port}`;
  h = await startHarness({ settings: { upstreams: [{ name: 'gate', baseUrl: url, mount: '/' }] } });
  const body = await new Promise<string>((resolve, reject) => {
    const req = request(`${h!.url}/v1/chat/completions`, { method: 'POST' }, (res) => {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/event-stream');
      release();
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ model: 'm', stream: true, stream_options: { include_usage: true }, messages: [] }));
  });
  expect(body).toBe('data: {"choices":[]}\n\ndata: [DONE]\n\n');
  expect((await h.rows(1))[0]).toMatchObject({ streaming: true, status: 200 });
});
