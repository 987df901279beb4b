// The import-graph rules (.dependency-cruiser.cjs, run by `npm run lint`) against small trees
// that break them, so a rule that stopped matching would show here rather than pass silently.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const depcruise = join(root, 'node_modules/.bin/depcruise');
const dirs: string[] = [];

function cruise(files: Record<string, string>): { ok: boolean; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'import-graph-'));
  dirs.push(dir);
  copyFileSync(join(root, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
  writeFileSync(join(dir, 'tsconfig.node.json'), JSON.stringify({ compilerOptions: { module: 'esnext' } }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const r = spawnSync(depcruise, ['electron', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { ok: r.status === 0, out: r.stdout + r.stderr };
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('import graph rules', () => {
  it('accept imports that point down', () => {
    const r = cruise({
      'electron/core/contract/model.ts': 'export type Row = { id: number };\n',
      'electron/core/storage/rows.ts':
        "import type { Row } from '../contract/model';\nexport const rows: Row[] = [];\n",
      'electron/core/proxy/server.ts': "import { rows } from '../storage/rows';\nexport const n = rows.length;\n",
    });
    expect(r.out).toContain('no dependency violations');
    expect(r.ok).toBe(true);
  });

  it('refuse a cycle of imports that run', () => {
    const r = cruise({
      'electron/core/proxy/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
      'electron/core/proxy/b.ts':
        "import type { A } from './c';\nimport { a } from './a';\nexport const b = (x?: A) => [a, x];\n",
      'electron/core/proxy/c.ts': 'export type A = number;\n',
    });
    expect(r.ok).toBe(false);
    expect(r.out).toContain('no-cycles');
  });

  it('refuse an upward arrow: storage importing the proxy', () => {
    const r = cruise({
      'electron/core/proxy/server.ts': 'export const port = 0;\n',
      'electron/core/storage/rows.ts': "import { port } from '../proxy/server';\nexport const p = port;\n",
    });
    expect(r.ok).toBe(false);
    expect(r.out).toContain('storage-stays-below');
  });

  it('refuse the contract importing anything of the core', () => {
    const r = cruise({
      'electron/core/storage/rows.ts': 'export const rows = [];\n',
      'electron/core/contract/model.ts': "import { rows } from '../storage/rows';\nexport const n = rows.length;\n",
    });
    expect(r.ok).toBe(false);
    expect(r.out).toContain('contract-is-a-leaf');
  });
});
