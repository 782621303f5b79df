/**
 * The keyboard genie (键盘精灵) of trading terminals: type a code or pinyin initials anywhere and a
 * picker opens with what you typed. This module holds its open/closed state (one per app) and
 * decides which key presses open it; SymbolGenie.vue is the picker.
 */
import { readonly, ref } from 'vue';

const visible = ref(false);
const text = ref('');

export function useGenie() {
  return {
    visible: readonly(visible),
    /** What the picker was opened with, plus whatever was typed before the input had the focus. */
    text,
    show(initial: string): void {
      text.value = initial;
      visible.value = true;
    },
    hide(): void {
      visible.value = false;
    },
  };
}

/** Where typing belongs to the element itself. */
export function isEditable(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || target.closest('input, textarea, select, [contenteditable="true"], [role="combobox"]') !== null)
  );
}

/**
 * Another modal (a confirmation, a prompt, the alert drawer) is open: keys are its business. A
 * closed Element Plus drawer or dialog stays in the page, hidden under a `display: none` overlay.
 */
function modalOpen(): boolean {
  return [...document.querySelectorAll('[aria-modal="true"]:not([data-genie])')].some((el) => el.closest('[style*="display: none"]') === null);
}

export type GenieKey = { kind: 'open' } | { kind: 'char'; char: string } | null;

/**
 * What a keydown means to the genie: `open` (Ctrl/⌘+K), `char` (a digit or letter typed outside
 * any form field), or nothing.
 */
export function genieKey(event: KeyboardEvent): GenieKey {
  if (event.isComposing || event.key === 'Process') return null;
  if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k') {
    return modalOpen() ? null : { kind: 'open' };
  }
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (!/^[0-9A-Za-z]$/.test(event.key)) return null;
  if (isEditable(event.target) || modalOpen()) return null;
  return { kind: 'char', char: event.key };
}

/**
 * A printable character typed outside a form field while the genie is opening: it belongs to the
 * query too (`000001.SZ` typed fast: the dot comes before the input has the focus).
 */
export function genieContinuation(event: KeyboardEvent): string | null {
  if (event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return null;
  if (event.key.length !== 1 || event.key === ' ' || isEditable(event.target)) return null;
  return event.key;
}
