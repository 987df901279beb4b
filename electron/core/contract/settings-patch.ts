// Settings as seen through the API: the settings file's schema (settings-schema.ts) is the
// one truth. A patch is checked field by field at the boundary (types, unknown keys) with that
// schema's own field schemas, minus their defaults: a default inside a patch would silently
// reset fields the user didn't send. Whole-object rules (unique mounts, names) run in the core
// when the patch is merged, and come back as invalid_input issues too.
import { z } from 'zod';
import { headerName, headerValue, otlpSettingsObject } from './otlp-settings';
import { maskedSecretSchema } from './secrets';
import { settingsSchema, upstreamSchema, type Settings, type SettingsInput } from './settings-schema';

export type { Settings, SettingsInput } from './settings-schema';

export type SettingsPatch = Partial<SettingsInput>;

// Secrets come to the page masked (secrets.ts) and may come back so, meaning "keep what is stored";
// the core resolves them before the whole settings are checked against the file's schema.
const headers = upstreamSchema.shape.headers.unwrap();
const upstreamPatchSchema = upstreamSchema.extend({
  apiKey: z.union([maskedSecretSchema, upstreamSchema.shape.apiKey.unwrap()]).optional(),
  headers: z.record(headers.keyType, z.union([maskedSecretSchema, headers.valueType])).optional(),
});

const patchShape = {
  ...Object.fromEntries(
    Object.entries(settingsSchema.shape).map(([key, field]) => [
      key,
      (field instanceof z.ZodDefault ? field.unwrap() : field).optional(),
    ]),
  ),
  upstreams: z.array(upstreamPatchSchema).optional(),
  otlp: otlpSettingsObject
    .extend({ headers: z.record(headerName, z.union([maskedSecretSchema, headerValue])).default({}) })
    .optional(),
};

export const settingsPatchSchema = z.strictObject(patchShape) as unknown as z.ZodType<Partial<Settings>, SettingsPatch>;
