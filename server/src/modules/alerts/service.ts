/**
 * AlertService.raise — the one entry for alerts (the risk rules call it; the test route too): the
 * alert is stored in its own IMMEDIATE transaction, then, once committed, published exactly once
 * as an `alert` event on the bus topic `alerts` with the notification decision (notify-rule.ts)
 * taken from the settings at that instant. The SSE hub, Electron main's notifier and any other
 * consumer subscribe to that topic; none of them decides again.
 */
import { randomUUID } from 'node:crypto';
import { Ajv } from 'ajv';
import type { components } from '../../../../contracts/gen/api';
import spec from '../../../../contracts/gen/openapi.json' with { type: 'json' };
import type { EventBus } from '../../platform/bus';
import { dereference } from '../../platform/contract';
import type { Db } from '../../platform/db/database';
import { DEFAULT_SETTINGS, type Settings } from '../system/settings-repository';
import { notifyDecision, type AlertSeverity, type NotificationSettings } from './notify-rule';
import { ALERT_RETENTION, AlertRepository, type Alert, type AlertRetention, type AlertScope } from './repository';

export type AlertEvent = components['schemas']['AlertEvent'];

/** What a rule (or the test route) raises; the service adds id, time and read state. */
export interface AlertInput {
  /** The rule that fired; null for a test alert. */
  ruleId: string | null;
  ruleName: string;
  /** The rule's type, or `test`. */
  kind: string;
  scope: AlertScope;
  symbol?: string;
  severity: AlertSeverity;
  title: string;
  message: string;
  value?: number;
  threshold?: number;
  /** How value and threshold read (the rules engine's ValueUnit). */
  unit?: Alert['unit'];
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const validAlert = ajv.compile(dereference(spec.components.schemas.Alert as never) as object);

/** How many raises between two retention passes (besides the one at start). */
const PRUNE_EVERY = 1_000;

export interface AlertServiceDeps {
  db: Db;
  bus: EventBus;
  settings: () => Settings;
  now?: () => number;
  retention?: AlertRetention;
}

export class AlertService {
  readonly repository: AlertRepository;
  private readonly now: () => number;
  private readonly retention: AlertRetention;
  private raisedSincePrune = 0;

  constructor(private readonly deps: AlertServiceDeps) {
    this.repository = new AlertRepository(deps.db);
    this.now = deps.now ?? Date.now;
    this.retention = deps.retention ?? ALERT_RETENTION;
  }

  /** The current notification settings (defaults filled in). */
  notificationSettings(): NotificationSettings {
    return this.deps.settings().notifications ?? DEFAULT_SETTINGS.notifications!;
  }

  /**
   * Stores the alert and publishes it once. Throws (a programming error of the caller) when the
   * input does not make a valid Alert: nothing is stored or published then.
   */
  raise(input: AlertInput): AlertEvent {
    const nowMs = this.now();
    const alert: Alert = {
      id: randomUUID(),
      ruleId: input.ruleId,
      ruleName: input.ruleName,
      kind: input.kind,
      scope: { type: input.scope.type, id: input.scope.id },
      ...(input.symbol !== undefined ? { symbol: input.symbol } : {}),
      severity: input.severity,
      title: input.title,
      message: input.message,
      ...(input.value !== undefined ? { value: input.value } : {}),
      ...(input.threshold !== undefined ? { threshold: input.threshold } : {}),
      ...(input.unit !== undefined ? { unit: input.unit } : {}),
      createdAt: new Date(nowMs).toISOString(),
      read: false,
    };
    if (!validAlert(alert) || [alert.value, alert.threshold].some((v) => v !== undefined && !Number.isFinite(v))) {
      throw new TypeError(`not a valid alert: ${validAlert.errors ? ajv.errorsText(validAlert.errors) : 'value and threshold must be finite'}`);
    }
    this.deps.db.transaction(() => this.repository.insert(alert)).immediate();
    const event: AlertEvent = { ...alert, notify: notifyDecision(alert, this.notificationSettings(), nowMs) };
    // After the commit: a consumer that reads the history on the event finds the alert.
    this.deps.bus.publish('alerts', 'alert', event);
    if (++this.raisedSincePrune >= PRUNE_EVERY) this.prune();
    return event;
  }

  /** Applies the retention rule (90 days, newest 10,000 by default); answers how many were deleted. */
  prune(): number {
    this.raisedSincePrune = 0;
    return this.repository.prune(this.retention, this.now());
  }

  /** A test alert through the whole path. */
  raiseTest(severity: AlertSeverity, message?: string): AlertEvent {
    return this.raise({
      ruleId: null,
      ruleName: 'Test',
      kind: 'test',
      scope: { type: 'account', id: 'default' },
      severity,
      title: `MyStocks test alert (${severity})`,
      message: message ?? 'This is a test alert: notifications reach you.',
    });
  }
}
