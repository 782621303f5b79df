/**
 * Risk: the rules (server-owned; every change's answer becomes the row) and the risk metrics of one
 * paper account. Rules fire as alerts (the alerts store shows them); their `armed` and `lastFiredAt`
 * are refetched when an alert of a rule arrives (`reloadRules`, called by the page).
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import {
  createRiskRule,
  deleteRiskRule,
  getRiskMetrics,
  listRiskRules,
  rearmRiskRule,
  updateRiskRule,
  type RiskMetrics,
  type RiskRule,
  type RiskRuleInput,
} from '@/api/risk';

export const useRiskStore = defineStore('risk', () => {
  const rules = ref<RiskRule[]>([]);
  const loaded = ref(false);
  const metrics = shallowRef<RiskMetrics | null>(null);
  const metricsLoading = ref(false);

  function replace(rule: RiskRule): void {
    const i = rules.value.findIndex((r) => r.id === rule.id);
    if (i >= 0) rules.value.splice(i, 1, rule);
    else rules.value.push(rule);
  }

  async function loadRules(): Promise<void> {
    rules.value = await listRiskRules();
    loaded.value = true;
  }

  async function save(input: RiskRuleInput, id?: string, quiet?: readonly number[]): Promise<RiskRule> {
    const rule = id ? await updateRiskRule(id, input, { quiet }) : await createRiskRule(input, { quiet });
    replace(rule);
    return rule;
  }

  /** Enable/disable is an edit of the whole definition (PUT), as the contract has it. */
  async function setEnabled(rule: RiskRule, enabled: boolean, toInput: (rule: RiskRule) => RiskRuleInput): Promise<void> {
    replace(await updateRiskRule(rule.id, { ...toInput(rule), enabled }));
  }

  async function rearm(id: string): Promise<void> {
    replace(await rearmRiskRule(id));
  }

  async function remove(id: string): Promise<void> {
    await deleteRiskRule(id);
    rules.value = rules.value.filter((r) => r.id !== id);
  }

  async function loadMetrics(accountId: number, days?: number): Promise<void> {
    metricsLoading.value = true;
    try {
      metrics.value = await getRiskMetrics(accountId, { days });
    } finally {
      metricsLoading.value = false;
    }
  }

  return { rules, loaded, metrics, metricsLoading, loadRules, save, setEnabled, rearm, remove, loadMetrics };
});
