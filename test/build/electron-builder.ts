// electron-builder's own modules, reached the way its CLI reaches them: they are CommonJS and their
// configuration helpers are not re-exported from the package root, so they're loaded by path from
// app-builder-lib (which electron-builder depends on) and typed here with just what the tests use.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

const fromRoot = createRequire(`${root}package.json`);
const fromBuilderLib = createRequire(fromRoot.resolve('app-builder-lib'));

export type BuilderConfig = Record<string, unknown>;

interface ConfigModule {
  getConfig(
    projectDir: string,
    configPath: string | null,
    configFromOptions: BuilderConfig | null,
  ): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, debugLogger: unknown): Promise<void>;
}

export const builderConfig = fromBuilderLib('./util/config/config.js') as ConfigModule;
const { DebugLogger } = fromBuilderLib('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
export const newDebugLogger = () => new DebugLogger(false);

interface ElectronBuilder {
  build(options: { projectDir: string; targets: unknown; publish: 'never'; config: BuilderConfig }): Promise<string[]>;
  Platform: { LINUX: { createTarget(type: string): unknown } };
}
export const electronBuilder = fromRoot('electron-builder') as ElectronBuilder;

interface Asar {
  listPackage(archive: string, options: { isPack: boolean }): string[];
  statFile(
    archive: string,
    filename: string,
    followLinks?: boolean,
  ): { unpacked?: boolean; size?: number; files?: unknown };
  extractFile(archive: string, filename: string): Buffer;
  /** Everything, unpacked files included (read from app.asar.unpacked). */
  extractAll(archive: string, dest: string): void;
}
export const asar = fromBuilderLib('@electron/asar') as Asar;

export const yaml = fromBuilderLib('js-yaml') as { load(text: string): unknown };
