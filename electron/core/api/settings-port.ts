// The settings shape as seen through the API. The proxy helper owns the real schema
// (electron/core/settings-schema.ts); until it lands, the contract carries settings as an
// opaque JSON object and validation happens in the core's updateSettings.
// When settings-schema.ts lands, this file re-exports its `Settings` type and patch schema.
import { z } from 'zod';

export type Settings = Record<string, unknown>;

/** A partial settings object; fields absent keep their value. Deep validation is the core's. */
export const settingsPatchSchema = z.record(z.string(), z.unknown());
