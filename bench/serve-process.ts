// The built `serve` in a child process for the renderer benches: started with the given flags, and
// resolved once it has printed where its proxy and its UI listen.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export async function startServeProcess(
  args: string[],
): Promise<{ child: ChildProcess; proxyUrl: string; uiUrl: string }> {
  const child = spawn(
    process.execPath,
    ['dist/electron/serve.js', '--host', '127.0.0.1', '--proxy-port', '0', '--ui-port', '0', ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let proxyUrl = '';
  let uiUrl = '';
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      proxyUrl ||= /proxy listening on (http:\/\/\S+)/.exec(line)?.[1] ?? '';
      uiUrl ||= /ui listening on (http:\/\/\S+)/.exec(line)?.[1] ?? '';
      if (proxyUrl && uiUrl) resolve();
    });
  });
  return { child, proxyUrl, uiUrl };
}
