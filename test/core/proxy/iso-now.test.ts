import { expect, it } from 'vitest';
import { isoTimestamp } from '../../../electron/core/proxy/iso-now';
import { rng } from '../../helpers/records';

it('is toISOString() of the same millisecond, across seconds, days, leap years and far dates', () => {
  const random = rng(7);
  const times = [
    0,
    999,
    1000,
    Date.UTC(2024, 1, 29, 23, 59, 59, 999),
    Date.UTC(2024, 2, 1),
    Date.UTC(2026, 11, 31, 23, 59, 59, 999),
    Date.UTC(2027, 0, 1),
    Date.UTC(10000, 0, 1, 0, 0, 0, 5),
    Date.now(),
  ];
  for (let i = 0; i < 5000; i++) times.push(Math.floor(Date.UTC(2026, 0, 1) + random() * 400 * 86_400_000));
  // Each next time in another second, then a millisecond either side of each: no second's text may leak into another.
  times.push(...times.map((t) => t + 1), ...times.map((t) => t - 1));
  for (const t of times) expect(isoTimestamp(t)).toBe(new Date(t).toISOString());
  expect(isoTimestamp(1_700_000_000_123.9)).toBe(new Date(1_700_000_000_123.9).toISOString());
  const before = Date.now();
  const now = isoTimestamp();
  expect(now >= new Date(before).toISOString() && now <= new Date().toISOString()).toBe(true);
});
