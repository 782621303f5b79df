/**
 * Copies text to the clipboard. The async Clipboard API is tried first; Electron denies it here
 * (the window's permission handler allows only notifications, so `clipboard-sanitized-write` is
 * refused), and then a hidden textarea with `document.execCommand('copy')` still works, because
 * it runs inside the user's click or key press.
 */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // Denied or unavailable: fall back below.
  }
  const previousFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.setAttribute('aria-hidden', 'true');
  Object.assign(area.style, { position: 'fixed', top: '0', left: '-9999px', opacity: '0' });
  document.body.appendChild(area);
  area.select();
  let copied: boolean;
  try {
    copied = document.execCommand('copy');
  } finally {
    area.remove();
    previousFocus?.focus();
  }
  if (!copied) throw new Error('the clipboard refused the text');
}
