/** A strategy's name in the UI language, by its id (the id itself for one the list does not have, e.g. not loaded yet). */
import { useI18n } from 'vue-i18n';
import { useBacktestStore } from '../store';

export function useStrategyName(): (id: string) => string {
  const store = useBacktestStore();
  const { locale } = useI18n();
  return (id) => {
    const s = store.strategyById.get(id);
    if (!s) return id;
    return locale.value === 'en' ? s.name.en : s.name.zh;
  };
}
