import { useSyncExternalStore } from 'react';

/** Colours from the CSS theme, so charts follow light/dark. */
export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

const DARK = '(prefers-color-scheme: dark)';

function subscribe(onChange: () => void): () => void {
  const mq = window.matchMedia(DARK);
  mq.addEventListener('change', onChange);
  return () => mq.removeEventListener('change', onChange);
}

/**
 * The OS colour scheme, live. Charts read their colours from CSS variables once, when their
 * options are built: options that depend on this are rebuilt when the OS switches (at sunset, say),
 * instead of keeping light-theme grid lines on a dark page.
 */
export function useColorScheme(): 'light' | 'dark' {
  return useSyncExternalStore(subscribe, () => (window.matchMedia(DARK).matches ? 'dark' : 'light'));
}
