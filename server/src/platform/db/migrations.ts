/**
 * Versioned schema migrations. Append only: a released migration is never edited, a change is a
 * new entry. `PRAGMA user_version` holds the applied version; each migration runs in its own
 * transaction together with the version bump, so a failure leaves the previous version intact.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'settings',
    sql: `
      CREATE TABLE settings (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,            -- JSON
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE schema_migrations (
        version    INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        applied_at TEXT NOT NULL
      ) STRICT;
    `,
  },
];
