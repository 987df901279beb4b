import { expect, it } from 'vitest';
import { newCorrelationId } from '../../../electron/core/proxy/correlation-id';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

it('makes RFC 9562 v7 ids that sort in the order they were made, many per millisecond', () => {
  const before = Date.now();
  // More than one pool refill (256 ids), and far more ids than milliseconds elapse.
  const ids = Array.from({ length: 5000 }, () => newCorrelationId());
  const after = Date.now();
  for (const id of ids) expect(id).toMatch(V7);
  expect(new Set(ids).size).toBe(ids.length);
  expect([...ids].sort()).toEqual(ids);
  // The first 48 bits are the Unix time in ms.
  const ms = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);
  expect(ms(ids[0]!)).toBeGreaterThanOrEqual(before);
  expect(ms(ids.at(-1)!)).toBeLessThanOrEqual(after + 1);
});

it('draws fresh random bits for every id (the pooled bytes are not reused)', () => {
  const tails = Array.from({ length: 600 }, () => newCorrelationId().slice(-12));
  expect(new Set(tails).size).toBe(tails.length);
});
