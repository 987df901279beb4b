// Chromium paints with 32-bit floats: past 2^24 px (16.7 M px) from the top of a scroller, positions
// round to 2 px and more, and rows of a million-row list (24 M px) were drawn overlapping, 2 px off,
// their borders lost (seen at the bottom of the benchmark's list); past 33.5 M px (1.4 M rows) an
// element can't be taller at all. So a list taller than MAX_SCROLL_PX gets a scrollbar of
// MAX_SCROLL_PX, and a scroll position maps linearly to a row offset (the scrollbar's ends are the
// list's ends); rows are then drawn near the scroll position, never at their full offset.

/** Below 2^24 with room for the viewport and the rows drawn beyond it. */
export const MAX_SCROLL_PX = 15_000_000;

export interface ScrollScale {
  /** Height of the scrolled content in px (the list's, or MAX_SCROLL_PX). */
  readonly height: number;
  /** Content offset (px from the list's first row) shown at the top for a scrollTop. */
  toContent(scrollTop: number): number;
  /** The scrollTop that shows content offset `offset` at the top. */
  toScroll(offset: number): number;
}

/** The scale for a list of `total` px seen through a viewport `viewport` px high. */
export function scrollScale(total: number, viewport: number): ScrollScale {
  if (total <= MAX_SCROLL_PX) return { height: total, toContent: (s) => s, toScroll: (o) => o };
  // Both ranges end where the last row sits at the bottom of the viewport.
  const ratio = Math.max(1, (total - viewport) / Math.max(1, MAX_SCROLL_PX - viewport));
  return { height: MAX_SCROLL_PX, toContent: (s) => s * ratio, toScroll: (o) => o / ratio };
}
