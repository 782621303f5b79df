/** Thin typed calls for the risk module (contracts/risk.yaml): rules CRUD, re-arm, and an account's risk metrics. */
import type { components, operations } from '@contracts/gen/api';
import { api, quietly, unwrap } from './client';

type Schemas = components['schemas'];
export type RiskRule = Schemas['RiskRule'];
export type RiskRuleInput = Schemas['RiskRuleInput'];
export type RuleKind = Schemas['RuleKind'];
export type RuleCondition = Schemas['RuleCondition'];
export type RuleScope = Schemas['RuleScope'];
export type RuleFrequency = Schemas['RuleFrequency'];
export type IndicatorLine = Schemas['IndicatorLine'];
export type RuleLine = Schemas['RuleLine'];
export type RuleAgainst = Schemas['RuleAgainst'];
export type RiskMetrics = Schemas['RiskMetrics'];
export type RuleQuery = NonNullable<operations['listRiskRules']['parameters']['query']>;

export function listRiskRules(query: RuleQuery = {}): Promise<RiskRule[]> {
  return unwrap(api.GET('/api/risk/rules', { params: { query } }));
}

/** `quiet` codes are shown beside the editor's fields rather than as a toast. */
export function createRiskRule(body: RiskRuleInput, options: { quiet?: readonly number[] } = {}): Promise<RiskRule> {
  return unwrap(api.POST('/api/risk/rules', { body, middleware: options.quiet ? [quietly(options.quiet)] : undefined }));
}

export function updateRiskRule(id: string, body: RiskRuleInput, options: { quiet?: readonly number[] } = {}): Promise<RiskRule> {
  return unwrap(api.PUT('/api/risk/rules/{id}', { params: { path: { id } }, body, middleware: options.quiet ? [quietly(options.quiet)] : undefined }));
}

export async function deleteRiskRule(id: string): Promise<void> {
  await unwrap(api.DELETE('/api/risk/rules/{id}', { params: { path: { id } } }));
}

export function rearmRiskRule(id: string): Promise<RiskRule> {
  return unwrap(api.POST('/api/risk/rules/{id}/rearm', { params: { path: { id } } }));
}

export function getRiskMetrics(account: number, options: { index?: string; days?: number; quiet?: readonly number[] } = {}): Promise<RiskMetrics> {
  const query = { account, ...(options.index ? { index: options.index } : {}), ...(options.days ? { days: options.days } : {}) };
  return unwrap(api.GET('/api/risk/metrics', { params: { query }, middleware: options.quiet ? [quietly(options.quiet)] : undefined }));
}
