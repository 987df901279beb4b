import { describe, expect, it } from 'vitest';
import { liveOutputTokens } from '../../renderer/src/lib/live-tokens';

describe('output tokens of a stream still arriving', () => {
  it('estimates from the text while the upstream reports nothing', () => {
    expect(liveOutputTokens(null, '')).toEqual({ count: null, estimated: false });
    expect(liveOutputTokens(null, 'Hi')).toEqual({ count: 1, estimated: true });
    expect(liveOutputTokens(null, 'x'.repeat(400))).toEqual({ count: 100, estimated: true });
  });

  it("does not stand still on Anthropic's message_start count of 1", () => {
    expect(liveOutputTokens(1, 'The quick brown fox jumps over')).toEqual({ count: 8, estimated: true });
  });

  it('shows the reported count once it has caught up with the text', () => {
    expect(liveOutputTokens(120, 'x'.repeat(400))).toEqual({ count: 120, estimated: false });
    expect(liveOutputTokens(7, '')).toEqual({ count: 7, estimated: false });
  });
});
