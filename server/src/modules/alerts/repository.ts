/**
 * The alert history (migration 7, `alerts`): insert, list with filters, unread counts, read,
 * acknowledge, delete, and the retention rule. Newest first by `created_at`, then insertion order.
 */
import type { components } from '../../../../contracts/gen/api';
import type { Db } from '../../platform/db/database';
import type { AlertSeverity } from './notify-rule';

export type Alert = components['schemas']['Alert'];
export type AlertScope = components['schemas']['AlertScope'];
export type UnreadAlertCount = components['schemas']['UnreadAlertCount'];

interface Row {
  id: string;
  rule_id: string | null;
  rule_name: string;
  kind: string;
  scope_type: AlertScope['type'];
  scope_id: string;
  symbol: string | null;
  severity: AlertSeverity;
  title: string;
  message: string;
  value: number | null;
  threshold: number | null;
  unit: string | null;
  created_at: string;
  read: number;
  acknowledged_at: string | null;
}

const COLUMNS = 'id, rule_id, rule_name, kind, scope_type, scope_id, symbol, severity, title, message, value, threshold, unit, created_at, read, acknowledged_at';

function toAlert(row: Row): Alert {
  return {
    id: row.id,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    kind: row.kind,
    scope: { type: row.scope_type, id: row.scope_id },
    ...(row.symbol !== null ? { symbol: row.symbol } : {}),
    severity: row.severity,
    title: row.title,
    message: row.message,
    ...(row.value !== null ? { value: row.value } : {}),
    ...(row.threshold !== null ? { threshold: row.threshold } : {}),
    ...(row.unit !== null ? { unit: row.unit as NonNullable<Alert['unit']> } : {}),
    createdAt: row.created_at,
    read: row.read === 1,
    ...(row.acknowledged_at !== null ? { acknowledgedAt: row.acknowledged_at } : {}),
  };
}

export interface AlertFilter {
  severity?: AlertSeverity;
  read?: boolean;
  symbol?: string;
  /** ISO 8601 UTC with ms (as stored): created at or after. */
  since?: string;
}

export interface AlertRetention {
  maxAgeDays: number;
  maxCount: number;
}

export const ALERT_RETENTION: AlertRetention = { maxAgeDays: 90, maxCount: 10_000 };

export class AlertRepository {
  private readonly stmt;

  constructor(private readonly db: Db) {
    this.stmt = {
      insert: db.prepare(
        `INSERT INTO alerts (${COLUMNS})
         VALUES (@id, @rule_id, @rule_name, @kind, @scope_type, @scope_id, @symbol, @severity, @title, @message, @value, @threshold, @unit, @created_at, @read, @acknowledged_at)`,
      ),
      get: db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM alerts WHERE id = ?`),
      read: db.prepare<[string]>('UPDATE alerts SET read = 1 WHERE id = ?'),
      acknowledge: db.prepare<[string, string]>('UPDATE alerts SET read = 1, acknowledged_at = coalesce(acknowledged_at, ?) WHERE id = ?'),
      readAll: db.prepare('UPDATE alerts SET read = 1 WHERE read = 0'),
      delete: db.prepare<[string]>('DELETE FROM alerts WHERE id = ?'),
      unread: db.prepare<[], { severity: AlertSeverity; n: number }>('SELECT severity, count(*) AS n FROM alerts WHERE read = 0 GROUP BY severity'),
    };
  }

  /** Stores one alert (inside the caller's transaction when there is one). */
  insert(alert: Alert): void {
    this.stmt.insert.run({
      id: alert.id,
      rule_id: alert.ruleId,
      rule_name: alert.ruleName,
      kind: alert.kind,
      scope_type: alert.scope.type,
      scope_id: alert.scope.id,
      symbol: alert.symbol ?? null,
      severity: alert.severity,
      title: alert.title,
      message: alert.message,
      value: alert.value ?? null,
      threshold: alert.threshold ?? null,
      unit: alert.unit ?? null,
      created_at: alert.createdAt,
      read: alert.read ? 1 : 0,
      acknowledged_at: alert.acknowledgedAt ?? null,
    } satisfies Row);
  }

  get(id: string): Alert | undefined {
    const row = this.stmt.get.get(id);
    return row ? toAlert(row) : undefined;
  }

  list(filter: AlertFilter, page: number, pageSize: number): { items: Alert[]; total: number } {
    const where: string[] = [];
    const args: Record<string, string | number> = {};
    if (filter.severity) {
      where.push('severity = @severity');
      args.severity = filter.severity;
    }
    if (filter.read !== undefined) {
      where.push('read = @read');
      args.read = filter.read ? 1 : 0;
    }
    if (filter.symbol) {
      where.push('symbol = @symbol');
      args.symbol = filter.symbol;
    }
    if (filter.since) {
      where.push('created_at >= @since');
      args.since = filter.since;
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = this.db.prepare<Record<string, string | number>, { n: number }>(`SELECT count(*) AS n FROM alerts ${clause}`).get(args)!.n;
    const rows = this.db
      .prepare<Record<string, string | number>, Row>(`SELECT ${COLUMNS} FROM alerts ${clause} ORDER BY created_at DESC, rowid DESC LIMIT @limit OFFSET @offset`)
      .all({ ...args, limit: pageSize, offset: (page - 1) * pageSize });
    return { items: rows.map(toAlert), total };
  }

  unreadCount(): UnreadAlertCount {
    const bySeverity = { info: 0, warning: 0, critical: 0 };
    for (const { severity, n } of this.stmt.unread.all()) bySeverity[severity] = n;
    return { total: bySeverity.info + bySeverity.warning + bySeverity.critical, bySeverity };
  }

  /** The alert after the change, or undefined when there is none. */
  markRead(id: string): Alert | undefined {
    this.stmt.read.run(id);
    return this.get(id);
  }

  acknowledge(id: string, at: string): Alert | undefined {
    this.stmt.acknowledge.run(at, id);
    return this.get(id);
  }

  markAllRead(): number {
    return this.stmt.readAll.run().changes;
  }

  delete(id: string): boolean {
    return this.stmt.delete.run(id).changes > 0;
  }

  /** Deletes alerts older than the age limit and all but the newest `maxCount`; answers how many went. */
  prune(retention: AlertRetention, nowMs: number): number {
    const cutoff = new Date(nowMs - retention.maxAgeDays * 86_400_000).toISOString();
    return this.db
      .transaction(() => {
        const old = this.db.prepare<[string]>('DELETE FROM alerts WHERE created_at < ?').run(cutoff).changes;
        const surplus = this.db
          .prepare<[number]>('DELETE FROM alerts WHERE rowid IN (SELECT rowid FROM alerts ORDER BY created_at DESC, rowid DESC LIMIT -1 OFFSET ?)')
          .run(retention.maxCount).changes;
        return old + surplus;
      })
      .immediate();
  }
}
