// Reading and writing the settings file. The schema lives in contract/settings-schema.ts (no Node imports).
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './private-files';
import { formatIssues, settingsSchema, type Settings } from './contract/settings-schema';

export * from './contract/settings-schema';

/** The settings file exists but can't be used. The file is left exactly as it was. */
export class SettingsFileError extends Error {
  override readonly name = 'SettingsFileError';
  constructor(
    readonly file: string,
    readonly details: string,
  ) {
    super(`invalid settings file ${file}:\n${details}`);
  }
}

export function isSettingsFileError(error: unknown): error is SettingsFileError {
  return error instanceof SettingsFileError;
}

/** A missing file means defaults; anything else wrong throws SettingsFileError naming the file and field. */
export async function loadSettings(file: string): Promise<Settings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return settingsSchema.parse({});
    throw new SettingsFileError(file, `cannot read: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SettingsFileError(file, `not valid JSON: ${(error as Error).message}`);
  }
  const result = settingsSchema.safeParse(json);
  if (!result.success) throw new SettingsFileError(file, formatIssues(result.error));
  return result.data;
}

/**
 * Atomic: write a temp file in the same folder, fsync, rename over the target. A crash leaves
 * either the old file or the new one, never half of each.
 */
export async function saveSettings(file: string, settings: Settings): Promise<void> {
  const valid = settingsSchema.parse(settings);
  await mkdir(dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  const temp = `${file}.${randomUUID()}.tmp`;
  try {
    const handle = await open(temp, 'wx', PRIVATE_FILE_MODE);
    try {
      await handle.writeFile(`${JSON.stringify(valid, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
