// Who the spans come from: the OTLP resource (service.name as set, the app's version, and this
// installation's id so a central store can tell machines apart) and the instrumentation scope.
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { version } from '../../../../package.json';
import { SCHEMA_URL } from './conventions';
import { writePrivateFileAtomic } from './private-write';

export const SCOPE_NAME = 'llm-request-inspector';
export const APP_VERSION: string = version;
const INSTALL_ID_FILE = 'install-id';

export interface ResourceOptions {
  serviceName: string;
  /** Random per data folder; null (the CLI over someone's file) leaves service.instance.id out. */
  installId: string | null;
}

export function buildResource(options: ResourceOptions): Resource {
  return resourceFromAttributes({
    'service.name': options.serviceName,
    'service.version': APP_VERSION,
    ...(options.installId ? { 'service.instance.id': options.installId } : {}),
  });
}

/**
 * One object for every span: the serializer groups spans by scope object, so a copy per span would
 * send each span in a ScopeSpans of its own, repeating the scope's name, version and schema URL.
 */
export const scope: ReadableSpan['instrumentationScope'] = {
  name: SCOPE_NAME,
  version: APP_VERSION,
  schemaUrl: SCHEMA_URL,
};

/**
 * This installation's id: a random UUID kept in the data folder (0600), made on first use. It
 * identifies the machine to the user's own collector and to nothing else; deleting the file makes
 * a new one.
 */
export function installId(dataDir: string): string {
  const file = join(dataDir, INSTALL_ID_FILE);
  try {
    const id = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f-]{36}$/.test(id)) return id;
  } catch {
    // Missing: made below.
  }
  const id = randomUUID();
  writePrivateFileAtomic(file, `${id}\n`);
  return id;
}
