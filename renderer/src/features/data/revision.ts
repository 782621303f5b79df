/**
 * A counter bumped whenever the cache's content changed (an import finished, bars were deleted), so
 * pages that hold bars (the Market page) know to load them again when they are shown.
 */
import { readonly, ref } from 'vue';

const revision = ref(0);
export const dataRevision = readonly(revision);

export function bumpDataRevision(): void {
  revision.value++;
}
