/**
 * `risk_rules` (migration 9): one row per rule, the definition as JSON (the API's RiskRuleInput with
 * its defaults) and the columns the list filters on; `fired_keys` keeps what a `once` rule fired
 * for across restarts, `fire_state` (migration 12) when an `every` or `once-per-bar` rule last fired. Every write is one IMMEDIATE statement or transaction.
 */
import type { Db } from '../../platform/db/database';
import type { CheckedInput } from './definition';

export interface StoredRule {
  id: string;
  input: CheckedInput;
  /** `once` rules: the symbols ('' account-wide) it has fired for since armed. */
  firedKeys: string[];
  /** `every` and `once-per-bar` rules: when it last fired per symbol ('' account-wide), since armed. */
  fireState: Record<string, { lastFireMs: number; lastBucket: number | null }>;
  lastFiredAt: string | null;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: string;
  definition: string;
  fired_keys: string;
  fire_state: string;
  last_fired_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface RuleFilter {
  enabled?: boolean;
  kind?: string;
  symbol?: string;
}

const toRule = (row: Row): StoredRule => ({
  id: row.id,
  input: JSON.parse(row.definition) as CheckedInput,
  firedKeys: JSON.parse(row.fired_keys) as string[],
  fireState: JSON.parse(row.fire_state) as StoredRule['fireState'],
  lastFiredAt: row.last_fired_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export class RiskRulesRepository {
  private readonly stmt;

  constructor(private readonly db: Db) {
    this.stmt = {
      all: db.prepare<[], Row>('SELECT * FROM risk_rules ORDER BY rowid'),
      filtered: db.prepare<{ enabled: number | null; kind: string | null; symbol: string | null }, { id: string }>(
        `SELECT id FROM risk_rules
         WHERE (@enabled IS NULL OR enabled = @enabled)
           AND (@kind IS NULL OR kind = @kind)
           AND (@symbol IS NULL OR symbol = @symbol
                OR watchlist_id IN (SELECT watchlist_id FROM watchlist_items WHERE symbol = @symbol))
         ORDER BY rowid`,
      ),
      insert: db.prepare(
        `INSERT INTO risk_rules (id, name, kind, scope_type, symbol, watchlist_id, account_id, enabled, definition, fired_keys, fire_state, last_fired_at, created_at, updated_at)
         VALUES (@id, @name, @kind, @scopeType, @symbol, @watchlistId, @accountId, @enabled, @definition, @firedKeys, @fireState, @lastFiredAt, @createdAt, @updatedAt)`,
      ),
      update: db.prepare(
        `UPDATE risk_rules SET name = @name, kind = @kind, scope_type = @scopeType, symbol = @symbol, watchlist_id = @watchlistId, account_id = @accountId,
           enabled = @enabled, definition = @definition, fired_keys = @firedKeys, fire_state = @fireState, last_fired_at = @lastFiredAt, updated_at = @updatedAt WHERE id = @id`,
      ),
      fired: db.prepare<[string, string, string | null, string]>('UPDATE risk_rules SET fired_keys = ?, fire_state = ?, last_fired_at = ? WHERE id = ?'),
      remove: db.prepare<[string]>('DELETE FROM risk_rules WHERE id = ?'),
    };
  }

  all(): StoredRule[] {
    return this.stmt.all.all().map(toRule);
  }

  /** Ids of the rules matching, oldest first. */
  ids(filter: RuleFilter): string[] {
    return this.stmt.filtered
      .all({ enabled: filter.enabled === undefined ? null : Number(filter.enabled), kind: filter.kind ?? null, symbol: filter.symbol ?? null })
      .map((r) => r.id);
  }

  private params(rule: StoredRule) {
    const { input } = rule;
    return {
      id: rule.id,
      name: input.name,
      kind: input.condition.kind,
      scopeType: input.scope.type,
      symbol: input.scope.symbol ?? null,
      watchlistId: input.scope.watchlistId ?? null,
      accountId: input.scope.accountId ?? null,
      enabled: Number(input.enabled),
      definition: JSON.stringify(input),
      firedKeys: JSON.stringify(rule.firedKeys),
      fireState: JSON.stringify(rule.fireState),
      lastFiredAt: rule.lastFiredAt,
      createdAt: rule.createdAt,
      updatedAt: rule.updatedAt,
    };
  }

  insert(rule: StoredRule): void {
    this.db.transaction(() => this.stmt.insert.run(this.params(rule))).immediate();
  }

  update(rule: StoredRule): void {
    const { createdAt: _createdAt, ...params } = this.params(rule);
    this.db.transaction(() => this.stmt.update.run(params)).immediate();
  }

  fired(rule: StoredRule): void {
    this.db.transaction(() => this.stmt.fired.run(JSON.stringify(rule.firedKeys), JSON.stringify(rule.fireState), rule.lastFiredAt, rule.id)).immediate();
  }

  remove(id: string): void {
    this.db.transaction(() => this.stmt.remove.run(id)).immediate();
  }
}
