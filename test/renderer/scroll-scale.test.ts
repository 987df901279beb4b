import { describe, expect, it } from 'vitest';
import { MAX_SCROLL_PX, scrollScale } from '../../renderer/src/model/scroll-scale';

describe('scrollScale', () => {
  it('is the identity while the list fits under the cap', () => {
    const s = scrollScale(600_000 * 24, 600);
    expect(s.height).toBe(600_000 * 24);
    expect(s.toContent(12_345)).toBe(12_345);
    expect(s.toScroll(12_345)).toBe(12_345);
  });

  it('caps the scrollbar and maps its ends to the list ends for a million rows', () => {
    const total = 1_000_000 * 24;
    const s = scrollScale(total, 600);
    expect(s.height).toBe(MAX_SCROLL_PX);
    expect(s.toContent(0)).toBe(0);
    // At the bottom of the scrollbar the last row is at the bottom of the viewport.
    expect(s.toContent(MAX_SCROLL_PX - 600)).toBeCloseTo(total - 600, 6);
    expect(s.toScroll(total - 600)).toBeCloseTo(MAX_SCROLL_PX - 600, 6);
    expect(s.toScroll(s.toContent(7_777_777))).toBeCloseTo(7_777_777, 6);
  });
});
