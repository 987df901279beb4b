// Light or dark: the OS's choice unless the user picked one (Settings → Appearance, kept in this
// window's localStorage: a display preference, not the proxy's configuration). The effective
// scheme is written to <html data-theme> and color-scheme, which the stylesheet keys its colours
// on, so an OS switch at sunset and a choice in Settings take the same path.

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Scheme = 'light' | 'dark';

const KEY = 'inspector.theme';
const DARK = '(prefers-color-scheme: dark)';
const listeners = new Set<() => void>();

function stored(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

let choice: ThemeChoice = stored();

export const themeChoice = (): ThemeChoice => choice;

export function effectiveScheme(): Scheme {
  if (choice !== 'system') return choice;
  return typeof window.matchMedia === 'function' && window.matchMedia(DARK).matches ? 'dark' : 'light';
}

function apply(): void {
  const scheme = effectiveScheme();
  document.documentElement.dataset['theme'] = scheme;
  document.documentElement.style.colorScheme = scheme;
}

export function setThemeChoice(next: ThemeChoice): void {
  choice = next;
  try {
    if (next === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, next);
  } catch {
    // Storage refused (a locked-down profile): the choice holds for this session.
  }
  apply();
  listeners.forEach((l) => l());
}

/** Called back when the effective scheme may have changed: an OS switch or a new choice. */
export function subscribeScheme(onChange: () => void): () => void {
  listeners.add(onChange);
  const mq = typeof window.matchMedia === 'function' ? window.matchMedia(DARK) : null;
  mq?.addEventListener('change', onChange);
  return () => {
    listeners.delete(onChange);
    mq?.removeEventListener('change', onChange);
  };
}

/** Applies the scheme now (before the first render, so the page doesn't flash light) and on every OS switch. */
export function startTheme(): void {
  apply();
  if (typeof window.matchMedia === 'function') window.matchMedia(DARK).addEventListener('change', apply);
}
