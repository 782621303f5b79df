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
  {
    version: 2,
    name: 'market data cache and watchlists',
    sql: `
      CREATE TABLE instruments (
        id         INTEGER PRIMARY KEY,
        symbol     TEXT NOT NULL UNIQUE,          -- 600000.SH
        code       TEXT NOT NULL,
        exchange   TEXT NOT NULL CHECK (exchange IN ('SH', 'SZ', 'BJ')),
        name       TEXT NOT NULL DEFAULT '',
        pinyin     TEXT NOT NULL DEFAULT '',      -- initials of the name: pfyh
        kind       TEXT NOT NULL CHECK (kind IN ('stock', 'index', 'fund', 'bond', 'other')),
        board      TEXT NOT NULL,
        is_st      INTEGER NOT NULL DEFAULT 0,
        list_date  TEXT,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX instruments_code ON instruments (code);
      CREATE INDEX instruments_pinyin ON instruments (pinyin);

      -- One row per instrument × period × adjustment: what the cache holds (the coverage).
      CREATE TABLE series (
        id            INTEGER PRIMARY KEY,
        instrument_id INTEGER NOT NULL REFERENCES instruments (id) ON DELETE CASCADE,
        period        TEXT NOT NULL CHECK (period IN ('1m', '5m', '15m', '30m', '60m', 'day', 'week', 'month')),
        adjust        TEXT NOT NULL CHECK (adjust IN ('none', 'qfq', 'hfq')),
        first_ts      INTEGER,
        last_ts       INTEGER,
        bars          INTEGER NOT NULL DEFAULT 0,
        source        TEXT NOT NULL DEFAULT '',
        updated_at    TEXT NOT NULL,
        UNIQUE (instrument_id, period, adjust)
      ) STRICT;

      -- ts: Beijing wall-clock time as seconds since 1970-01-01 00:00 (no time zone arithmetic:
      -- China has no DST). Day bars at 00:00 of the date; minute bars at the bar's end.
      -- volume in shares, amount in CNY.
      CREATE TABLE bars (
        series_id INTEGER NOT NULL REFERENCES series (id) ON DELETE CASCADE,
        ts        INTEGER NOT NULL,
        open      REAL NOT NULL,
        high      REAL NOT NULL,
        low       REAL NOT NULL,
        close     REAL NOT NULL,
        volume    REAL NOT NULL,
        amount    REAL NOT NULL,
        PRIMARY KEY (series_id, ts)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE adj_factors (
        instrument_id INTEGER NOT NULL REFERENCES instruments (id) ON DELETE CASCADE,
        date          TEXT NOT NULL,
        factor        REAL NOT NULL,
        PRIMARY KEY (instrument_id, date)
      ) STRICT, WITHOUT ROWID;

      -- Trading days seen in imported or downloaded index/stock daily bars (YYYY-MM-DD).
      CREATE TABLE trading_days (
        date TEXT PRIMARY KEY
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE watchlists (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        position   INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE watchlist_items (
        watchlist_id INTEGER NOT NULL REFERENCES watchlists (id) ON DELETE CASCADE,
        symbol       TEXT NOT NULL,
        position     INTEGER NOT NULL,
        PRIMARY KEY (watchlist_id, symbol)
      ) STRICT;
    `,
  },
  {
    version: 3,
    name: 'indicator sets',
    sql: `
      CREATE TABLE indicator_sets (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        convention TEXT NOT NULL CHECK (convention IN ('talib', 'tdx')),
        indicators TEXT NOT NULL, -- JSON: [{name, convention?, params?}], validated by the contract on the way in
        updated_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 4,
    name: 'app state apart from settings',
    // Settings are the user's choices (a reset deletes every row); app state is what the app
    // records about itself (the sample-data import) and no reset touches it.
    sql: `
      CREATE TABLE app_state (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,            -- JSON
        updated_at TEXT NOT NULL
      ) STRICT;
      INSERT INTO app_state (key, value, updated_at)
        SELECT substr(key, 6), value, updated_at FROM settings WHERE key LIKE 'meta.%';
      DELETE FROM settings WHERE key LIKE 'meta.%';
    `,
  },
  {
    version: 5,
    name: 'tasks',
    // Long work of every kind (docs/ARCHITECTURE.md, "The long-work path"). Rows are written on
    // state changes only (live progress stays in memory); tasks found queued or running at start
    // are marked interrupted. Finished rows are pruned by the retention rule (platform/tasks).
    sql: `
      CREATE TABLE tasks (
        id            TEXT PRIMARY KEY,
        kind          TEXT NOT NULL,
        state         TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
        progress      REAL NOT NULL DEFAULT 0,   -- 0..100
        phase         TEXT NOT NULL DEFAULT '',
        message       TEXT NOT NULL DEFAULT '',
        params        TEXT NOT NULL,             -- JSON, by kind
        summary       TEXT NOT NULL,             -- JSON, by kind
        error_code    INTEGER,
        error_message TEXT,
        attempts      INTEGER NOT NULL DEFAULT 1,
        created_at    TEXT NOT NULL,
        started_at    TEXT,
        finished_at   TEXT
      ) STRICT;
      CREATE INDEX tasks_kind_state ON tasks (kind, state);
      CREATE INDEX tasks_created ON tasks (created_at);
    `,
  },
  {
    version: 6,
    name: 'backtest results',
    // A finished backtest (modules/backtest): the document exactly as the run produced it (the
    // bytes GET …/export?format=json answers), its SHA-256, and apart from it what the history list
    // shows, so listing never parses documents. Kept until the user deletes it.
    sql: `
      CREATE TABLE backtest_results (
        id             TEXT PRIMARY KEY,
        task_id        TEXT NOT NULL,
        name           TEXT NOT NULL,
        strategy       TEXT NOT NULL,
        symbols        TEXT NOT NULL,             -- JSON array
        period         TEXT NOT NULL,
        start          TEXT NOT NULL,
        "end"          TEXT NOT NULL,
        created_at     TEXT NOT NULL,
        engine_version TEXT NOT NULL,
        fingerprint    TEXT NOT NULL,
        digest         TEXT NOT NULL,
        headline       TEXT NOT NULL,             -- JSON BacktestHeadline
        document       TEXT NOT NULL              -- JSON BacktestDocument
      ) STRICT;
      CREATE INDEX backtest_results_created ON backtest_results (created_at);
      CREATE INDEX backtest_results_task ON backtest_results (task_id);
    `,
  },
  {
    version: 7,
    name: 'alerts',
    // Alerts raised by the risk rules and test alerts (modules/alerts): the history the alert
    // center lists, newest first. Pruned at start by the retention rule (90 days, newest 10,000).
    sql: `
      CREATE TABLE alerts (
        id              TEXT PRIMARY KEY,
        rule_id         TEXT,                      -- NULL for a test alert
        rule_name       TEXT NOT NULL,
        kind            TEXT NOT NULL,             -- the rule's type, or 'test'
        scope_type      TEXT NOT NULL CHECK (scope_type IN ('symbol', 'watchlist', 'account')),
        scope_id        TEXT NOT NULL,
        symbol          TEXT,
        severity        TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
        title           TEXT NOT NULL,
        message         TEXT NOT NULL,
        value           REAL,
        threshold       REAL,
        created_at      TEXT NOT NULL,             -- ISO 8601 UTC, ms
        read            INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
        acknowledged_at TEXT
      ) STRICT;
      CREATE INDEX alerts_created ON alerts (created_at);
      CREATE INDEX alerts_read ON alerts (read, severity);
    `,
  },
  {
    version: 8,
    name: 'paper accounts',
    // Paper trading (modules/trading): one row per account. `state` is the whole account as JSON (its
    // history moved to tables in migration 10; the first format is still read) —
    // the portfolio's snapshot (engine/portfolio PortfolioState: cash, positions, every order, fill
    // and ledger entry) with the module's book (order and fill times, last quotes, the day's opening
    // equity) — rewritten by one UPDATE after every change, before the change is published, so a
    // fill streamed is a fill stored and a restart resumes exactly (docs/ARCHITECTURE.md, "Paper trading").
    sql: `
      CREATE TABLE paper_accounts (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        name             TEXT NOT NULL,
        mode             TEXT NOT NULL CHECK (mode IN ('live', 'replay')),
        initial_cash_fen INTEGER NOT NULL CHECK (initial_cash_fen >= 0),
        slippage_bps     INTEGER NOT NULL CHECK (slippage_bps >= 0),
        created_at       TEXT NOT NULL,
        updated_at       TEXT NOT NULL,
        state            TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 9,
    name: 'risk rules',
    // Risk rules (modules/risk): the definition as JSON (the API's RiskRuleInput) with the columns
    // the list filters on; `fired_keys` is what a `once` rule has fired for (JSON array of symbols,
    // '' for account-wide), so it stays spent across restarts until re-armed or edited.
    sql: `
      CREATE TABLE risk_rules (
        id            TEXT PRIMARY KEY,
        name          TEXT NOT NULL,
        kind          TEXT NOT NULL,
        scope_type    TEXT NOT NULL CHECK (scope_type IN ('symbol', 'watchlist', 'account')),
        symbol        TEXT,                      -- symbol scope
        watchlist_id  INTEGER,                   -- watchlist scope
        account_id    INTEGER,                   -- account scope, and position rules
        enabled       INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        definition    TEXT NOT NULL,             -- JSON RiskRuleInput
        fired_keys    TEXT NOT NULL DEFAULT '[]',
        last_fired_at TEXT,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
      ) STRICT;
      CREATE INDEX risk_rules_symbol ON risk_rules (symbol);
      CREATE INDEX risk_rules_watchlist ON risk_rules (watchlist_id);
    `,
  },
  {
    version: 10,
    name: 'paper trading history',
    // Paper trading's history in its own append-mostly tables (modules/trading): each row the
    // engine's order, fill or ledger entry as JSON (with the book's times), by its 0-based sequence
    // in the account. `paper_accounts.state` keeps the head only (cash, positions, the day, last
    // quotes), so a change writes the head and the few rows it touched, in one transaction.
    sql: `
      CREATE TABLE paper_orders (
        account_id INTEGER NOT NULL REFERENCES paper_accounts (id) ON DELETE CASCADE,
        seq        INTEGER NOT NULL,
        data       TEXT NOT NULL,
        PRIMARY KEY (account_id, seq)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE paper_fills (
        account_id INTEGER NOT NULL REFERENCES paper_accounts (id) ON DELETE CASCADE,
        seq        INTEGER NOT NULL,
        data       TEXT NOT NULL,
        PRIMARY KEY (account_id, seq)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE paper_ledger (
        account_id INTEGER NOT NULL REFERENCES paper_accounts (id) ON DELETE CASCADE,
        seq        INTEGER NOT NULL,
        data       TEXT NOT NULL,
        PRIMARY KEY (account_id, seq)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 11,
    name: 'instrument industry',
    // Reference data the providers fill on demand (modules/market/profile-filler.ts): the
    // industry for risk exposure, and when it was last asked for (so an instrument the provider
    // has no industry for is not asked again on every request).
    sql: `
      ALTER TABLE instruments ADD COLUMN industry TEXT;
      ALTER TABLE instruments ADD COLUMN profiled_at TEXT;
    `,
  },
  {
    version: 12,
    name: 'risk rule fire state',
    // When an `every` or `once-per-bar` rule last fired, per symbol ('' account-wide), as JSON
    // {key: {lastFireMs, lastBucket}}: a restart keeps its cooldown and its bar, as `fired_keys`
    // keeps a spent `once` rule spent.
    sql: `ALTER TABLE risk_rules ADD COLUMN fire_state TEXT NOT NULL DEFAULT '{}';`,
  },
  {
    version: 13,
    name: 'optimizations',
    // Parameter optimizations (modules/optimize), apart from `tasks` because tasks are pruned by
    // the retention rule while an optimization's trials are kept until it is deleted. One row per
    // finished trial, inserted as it finishes (a cancel or crash loses no finished trial; a retry
    // skips the stored ones): its params, objective, headline metrics and the digest of its result
    // document, the moments of its daily returns (DSR) and per-block statistics of them (PBO by
    // CSCV: mean and centred sum of squares of each of `blocks` blocks of the common trading days,
    // Float64 little-endian). The index serves the leaderboard: eligible first, by objective.
    sql: `
      CREATE TABLE optimizations (
        id             TEXT PRIMARY KEY,
        task_id        TEXT NOT NULL,
        name           TEXT NOT NULL,
        created_at     TEXT NOT NULL,
        config         TEXT NOT NULL,            -- OptimizationConfig JSON, defaults filled in
        strategy       TEXT NOT NULL,
        symbols        TEXT NOT NULL,            -- JSON array
        method         TEXT NOT NULL CHECK (method IN ('grid', 'random')),
        objective      TEXT NOT NULL,
        trials_total   INTEGER,                  -- null until the search space was counted
        fingerprint    TEXT,                     -- null until the bars were loaded
        engine_version TEXT NOT NULL,
        blocks         INTEGER,                  -- CSCV blocks S of the trials' block statistics
        overfitting    TEXT                      -- JSON, null until computed
      ) STRICT;
      CREATE INDEX optimizations_created ON optimizations (created_at);
      CREATE INDEX optimizations_task ON optimizations (task_id);
      CREATE TABLE optimization_trials (
        optimization_id TEXT NOT NULL REFERENCES optimizations (id) ON DELETE CASCADE,
        trial_index     INTEGER NOT NULL,
        params          TEXT NOT NULL,           -- JSON
        objective       REAL,
        eligible        INTEGER NOT NULL,
        headline        TEXT NOT NULL,           -- JSON TrialHeadline
        digest          TEXT NOT NULL,
        n               INTEGER NOT NULL,
        mean            REAL,
        std             REAL,
        skew            REAL,
        kurt            REAL,
        blocks          BLOB,
        PRIMARY KEY (optimization_id, trial_index)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX optimization_trials_rank ON optimization_trials (optimization_id, eligible, objective DESC);
    `,
  },
  {
    version: 14,
    name: 'alert unit',
    // How an alert's value and threshold read (percent, fen, price, ratio, fraction), so the
    // alert center formats them as the rule compared them.
    sql: `ALTER TABLE alerts ADD COLUMN unit TEXT;`,
  },
  {
    version: 15,
    name: 'walk-forward',
    // A walk-forward optimization's windows (modules/optimize/walk-forward-job.ts): one row per
    // window with its in-sample and out-of-sample dates, then its winner and the winner's
    // out-of-sample run (headline, digest, day-end equity and benchmark for the stitched curve);
    // and one row per in-sample trial, inserted as it finishes, so a retry runs only what is
    // missing. Deleted with the optimization.
    sql: `
      CREATE TABLE walkforward_windows (
        optimization_id TEXT NOT NULL REFERENCES optimizations (id) ON DELETE CASCADE,
        window_index    INTEGER NOT NULL,
        is_start        TEXT NOT NULL,
        is_end          TEXT NOT NULL,
        is_days         INTEGER NOT NULL,
        oos_start       TEXT NOT NULL,
        oos_end         TEXT NOT NULL,
        oos_days        INTEGER NOT NULL,
        winner          TEXT,                    -- JSON WalkForwardWinner, null until chosen
        oos             TEXT,                    -- JSON WalkForwardOutOfSample, null until run
        series          TEXT,                    -- JSON {dates, equity, benchmark} of the OOS run
        PRIMARY KEY (optimization_id, window_index)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE walkforward_trials (
        optimization_id TEXT NOT NULL REFERENCES optimizations (id) ON DELETE CASCADE,
        window_index    INTEGER NOT NULL,
        trial_index     INTEGER NOT NULL,
        params          TEXT NOT NULL,           -- JSON
        objective       REAL,
        eligible        INTEGER NOT NULL,
        annual_return   REAL,
        digest          TEXT NOT NULL,
        PRIMARY KEY (optimization_id, window_index, trial_index)
      ) STRICT, WITHOUT ROWID;
    `,
  },
];
