// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { useColorScheme } from '../../renderer/src/lib/css-var';

afterEach(cleanup);

/** A stand-in for the OS setting: jsdom has no matchMedia. */
function fakeScheme(dark: boolean) {
  const listeners = new Set<() => void>();
  window.matchMedia = ((query: string) => ({
    get matches() {
      return query.includes('dark') && dark;
    },
    media: query,
    addEventListener: (_: string, fn: () => void) => listeners.add(fn),
    removeEventListener: (_: string, fn: () => void) => listeners.delete(fn),
  })) as unknown as typeof window.matchMedia;
  return (next: boolean) => {
    dark = next;
    listeners.forEach((fn) => fn());
  };
}

function Probe() {
  return <span data-testid="scheme">{useColorScheme()}</span>;
}

it('re-renders when the OS switches between light and dark, so charts rebuild their colours', () => {
  const setDark = fakeScheme(false);
  render(<Probe />);
  expect(screen.getByTestId('scheme').textContent).toBe('light');
  act(() => setDark(true));
  expect(screen.getByTestId('scheme').textContent).toBe('dark');
  act(() => setDark(false));
  expect(screen.getByTestId('scheme').textContent).toBe('light');
});
