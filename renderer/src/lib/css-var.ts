import { useSyncExternalStore } from 'react';
import { effectiveScheme, subscribeScheme } from './theme';

/** Colours from the CSS theme, so charts follow light/dark. */
export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

/**
 * The colour scheme in effect (the OS's, or the one picked in Settings), live. Charts read their colours from
 * CSS variables once, when their
 * options are built: options that depend on this are rebuilt when the OS switches (at sunset, say),
 * instead of keeping light-theme grid lines on a dark page.
 */
export function useColorScheme(): 'light' | 'dark' {
  return useSyncExternalStore(subscribeScheme, effectiveScheme);
}
