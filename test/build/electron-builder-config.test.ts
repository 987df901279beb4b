// electron-builder.yml checked by electron-builder's own validation: the same getConfig (file +
// package.json) and JSON-schema check its CLI runs before packaging, so a misspelt or misplaced
// option fails here rather than on a release tag.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builderConfig, newDebugLogger, root, yaml, type BuilderConfig } from './electron-builder';

const load = () => builderConfig.getConfig(root, null, null);

describe('electron-builder.yml', () => {
  it('passes electron-builder’s configuration validation', async () => {
    const config = await load();
    await expect(builderConfig.validateConfiguration(config, newDebugLogger())).resolves.toBeUndefined();
  });

  it('the validation rejects a wrong option (so the check above can fail)', async () => {
    const config = await load();
    const fuses = config.electronFuses as Record<string, boolean>;
    await expect(
      builderConfig.validateConfiguration(
        { ...config, electronFuses: { ...fuses, runAsnode: false } },
        newDebugLogger(),
      ),
    ).rejects.toThrow(/electronFuses/);
    await expect(
      builderConfig.validateConfiguration({ ...config, linux: { target: 'AppImage', title: 'x' } }, newDebugLogger()),
    ).rejects.toThrow(/linux/);
  });

  it('names the app and its installers: AppImage + deb, dmg + zip, NSIS', async () => {
    const config = await load();
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { productName: string };
    expect(config.appId).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    expect(config.productName).toBe(pkg.productName);
    const targets = (platform: string) => (config[platform] as { target: string[] }).target;
    expect(targets('linux')).toEqual(['AppImage', 'deb']);
    expect(targets('mac')).toEqual(['dmg', 'zip']);
    expect(targets('win')).toEqual(['nsis']);
    // electron-builder's default output folder is dist/, which our own build owns.
    expect((config.directories as BuilderConfig).output).toBe('release');
    for (const icon of [
      (config.linux as BuilderConfig).icon,
      (config.mac as BuilderConfig).icon,
      (config.win as BuilderConfig).icon,
    ]) {
      expect(() => readFileSync(join(root, String(icon)))).not.toThrow();
    }
  });

  it('turns off every fuse that lets the binary run something other than our own app.asar', async () => {
    const fuses = (await load()).electronFuses as Record<string, boolean>;
    expect(fuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs better-sqlite3’s prebuilt binary for the target only, unpacked, and rebuilds nothing', async () => {
    const config = await load();
    // getConfig has normalised `files` into file sets.
    const files = (config.files as { filter: string[] }[]).flatMap((set) => set.filter);
    expect(files).toContain('node_modules/better-sqlite3/prebuilds/${platform}-${arch}.node');
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/prebuilds/*.node');
    // A rebuild would run node-gyp over better-sqlite3's binding.gyp for nothing (see electron-builder.yml).
    expect(config.npmRebuild).toBe(false);
  });
});

describe('the Linux floor: what better-sqlite3’s prebuilt Linux binaries need', () => {
  // The newest symbol versions a binary asks for, read from the version names in its dynamic string table.
  const newest = (binary: Buffer, prefix: string) =>
    Math.max(
      ...[...binary.toString('latin1').matchAll(new RegExp(`${prefix}(\\d+)\\b`, 'g'))].map((m) => Number(m[1])),
    );
  // libstdc++'s symbol version → the GCC release that introduced it (GCC's libstdc++ ABI policy).
  const GCC_OF_GLIBCXX: Record<number, number> = { 28: 10, 29: 11, 30: 12, 31: 13, 32: 13, 33: 14, 34: 15 };

  it('is what the deb asks for (libc6, libstdc++6) and what the README states', async () => {
    const deb = ((await builderConfig.getConfig(root, null, null)).deb as { depends: string[] }).depends;
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const arch of ['x64', 'arm64']) {
      const binary = readFileSync(join(root, `node_modules/better-sqlite3/prebuilds/linux-${arch}.node`));
      const glibc = newest(binary, 'GLIBC_2\\.');
      const gcc = GCC_OF_GLIBCXX[newest(binary, 'GLIBCXX_3\\.4\\.')];
      expect(gcc, 'a libstdc++ symbol version missing from GCC_OF_GLIBCXX').toBeDefined();
      expect(deb).toContain(`libc6 (>= 2.${glibc})`);
      expect(deb).toContain(`libstdc++6 (>= ${gcc})`);
      expect(readme).toContain(`glibc 2.${glibc}`);
    }
  });
});

describe('.github/workflows/release.yml', () => {
  interface Step {
    run?: string;
    uses?: string;
  }
  interface Job {
    'runs-on': string;
    needs?: string;
    strategy?: { matrix: { os: string[] } };
    steps: Step[];
  }
  const workflow = () =>
    yaml.load(readFileSync(join(root, '.github/workflows/release.yml'), 'utf8')) as {
      on: { push: { tags: string[] } };
      jobs: Record<string, Job>;
    };

  it('on a version tag, tests once, then runs npm run dist on Linux, macOS and Windows', () => {
    const { on, jobs } = workflow();
    expect(on.push.tags).toEqual(['v*.*.*']);
    const installers = jobs.installers;
    expect(installers?.strategy?.matrix.os.map((os) => os.split('-')[0]).sort()).toEqual([
      'macos',
      'ubuntu',
      'windows',
    ]);
    const runs = installers?.steps.map((s) => s.run ?? '') ?? [];
    expect(runs).toContain('npm ci');
    // The app is packaged with npm run dist (--dir first, for the smoke test), the installers after it.
    expect(runs.some((r) => r.startsWith('npm run dist'))).toBe(true);
    expect(jobs.test?.steps.map((s) => s.run)).toContain('npm test');
  });

  it('every job that sets up Node sets up the major package.json’s engines asks for', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
    const major = /^>=(\d+)$/.exec(pkg.engines.node)?.[1];
    const setups = Object.values(workflow().jobs)
      .flatMap((job) => job.steps as (Step & { with?: { 'node-version'?: unknown } })[])
      .filter((step) => step.uses?.startsWith('actions/setup-node@'));
    expect(setups.length).toBeGreaterThan(0);
    for (const step of setups) expect(String(step.with?.['node-version'])).toBe(major);
  });

  it('npm run dist builds first and never publishes by itself', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.dist).toBe('npm run build && electron-builder --publish never');
    expect(pkg.scripts.test).not.toMatch(/npm run dist|electron-builder/);
  });
});
