// navigator.clipboard needs a secure context and focus; loopback HTTP counts as secure, but a
// headless or unfocused window may still refuse, so fall back to the selection-based copy.
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // fall through
  }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.appendChild(ta);
  ta.select();
  try {
    if (!document.execCommand('copy')) throw new Error('copy refused');
  } finally {
    ta.remove();
  }
}

let toastTimer: number | undefined;

/** A small "Copied …" notice; one at a time. */
export function toast(message: string): void {
  let el = document.querySelector<HTMLDivElement>('.toast');
  if (!el) {
    el = document.createElement('div');
    el.className = 'toast';
    el.setAttribute('role', 'status');
    document.body.appendChild(el);
  }
  el.textContent = message;
  window.clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => el?.remove(), 1600);
}

export async function copyWithToast(text: string, what: string): Promise<void> {
  try {
    await copyText(text);
    toast(`Copied ${what}`);
  } catch {
    toast(`Could not copy ${what}`);
  }
}
