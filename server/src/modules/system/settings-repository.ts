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
  private readonly selectAll;
  private readonly upsert;
  private readonly deleteAll;

  constructor(private readonly db: Db) {
    this.selectAll = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings');
    this.upsert = db.prepare<[string, string, string]>(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    this.deleteAll = db.prepare('DELETE FROM settings');
  }

  read(): Settings {
    const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const row of this.selectAll.all()) {
      if (!(row.key in validators)) continue;
      let value: unknown;
      try {
        value = JSON.parse(row.value);
      } catch {
        continue;
      }
      if (validators[row.key as Key](value)) settings[row.key] = value;
    }
    return settings as Settings;
  }

  /** All keys in one transaction: either every change is stored or none. */
  update(patch: SettingsPatch): Settings {
    const now = new Date().toISOString();
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(patch)) {
        if (value !== undefined) this.upsert.run(key, JSON.stringify(value), now);
      }
    })();
    return this.read();
  }

  reset(): Settings {
    this.deleteAll.run();
    return this.read();
  }
}
