/**
 * Submitting a run form (a backtest's, an optimization's): the form's own problems show once the
 * user has tried to submit, not while typing the first time; what the server refuses comes back
 * as `details[].field` and is spread over the fields it names (anything else above the button),
 * until the next edit makes that verdict stale.
 */
import { ref, watch, type Ref } from 'vue';
import { ApiError, type ErrorDetail } from '@/api/errors';
import { describeApiError } from '@/api/client';
import type { FieldErrors } from '../form';
import { FORM_ERROR_CODES } from '../runs';

export function useFormSubmit(
  form: Ref<unknown>,
  options: {
    /** True when the form's own checks (or a missing strategy) hold the submission back. */
    blocked: () => boolean;
    send: () => Promise<void>;
    /** Spreads a validation failure's details over the form's fields. */
    spread: (details: readonly ErrorDetail[]) => FieldErrors;
  },
) {
  const submitting = ref(false);
  const tried = ref(false);
  const server = ref<FieldErrors>({ fields: {}, other: [] });

  // An edit makes the server's verdict on the previous values stale.
  watch(form, () => (server.value = { fields: {}, other: [] }), { deep: true });

  async function onSubmit(): Promise<void> {
    tried.value = true;
    if (submitting.value || options.blocked()) return;
    submitting.value = true;
    try {
      await options.send();
      tried.value = false;
    } catch (error) {
      if (error instanceof ApiError && FORM_ERROR_CODES.includes(error.code)) {
        const spread = options.spread(error.details);
        if (Object.keys(spread.fields).length === 0 && spread.other.length === 0) spread.other.push(describeApiError(error));
        server.value = spread;
      }
    } finally {
      submitting.value = false;
    }
  }

  return { submitting, tried, server, onSubmit };
}
