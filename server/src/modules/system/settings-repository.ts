/**
 * Settings persisted in SQLite as one JSON value per key. Values are validated against the
 * contract's Settings schema both when written (by the route) and when read back, so a value an
 * older or newer version left behind falls back to the default instead of breaking the app.
 */
import { Ajv } from 'ajv';
import type { components } from '../../../../contracts/gen/api';
import spec from '../../../../contracts/gen/openapi.json' with { type: 'json' };
import defaults from '../../../../resources/default-settings.json' with { type: 'json' };
import { dereference } from '../../platform/contract';
import type { Db } from '../../platform/db/database';
import { KeyValueTable } from '../../platform/db/kv';

export type Settings = components['schemas']['Settings'];
export type SettingsPatch = components['schemas']['SettingsPatch'];
type Key = keyof Settings;

const settingsSchema = dereference(spec.components.schemas.Settings as never) as {
  properties: Record<Key, object>;
};
const ajv = new Ajv({ strict: false });
const validators = Object.fromEntries(
  Object.entries(settingsSchema.properties).map(([key, schema]) => [key, ajv.compile(schema)]),
) as Record<Key, ReturnType<Ajv['compile']>>;

export const DEFAULT_SETTINGS: Settings = validateDefaults(defaults);

function validateDefaults(value: Record<string, unknown>): Settings {
  const validate = ajv.compile(dereference(spec.components.schemas.Settings as never) as object);
  if (!validate(value)) throw new Error(`resources/default-settings.json is invalid: ${ajv.errorsText(validate.errors)}`);
  return value as Settings;
}

export class SettingsRepository {
  private readonly table;

  constructor(db: Db) {
    this.table = new KeyValueTable(db, 'settings');
  }

  read(): Settings {
    const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const [key, value] of this.table.entries()) {
      if (Object.hasOwn(validators, key) && validators[key as Key](value)) settings[key] = value;
    }
    return settings as Settings;
  }

  /** All keys in one transaction: either every change is stored or none. */
  update(patch: SettingsPatch): Settings {
    this.table.setMany(patch);
    return this.read();
  }

  reset(): Settings {
    this.table.deleteAll();
    return this.read();
  }
}
