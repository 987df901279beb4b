import { describe, expect, it } from 'vitest';
import { createPageCheck } from '../../../electron/core/api/trusted-url';

describe('createPageCheck', () => {
  it('accepts our file page with any query or hash, nothing else', () => {
    const ours = createPageCheck('file:///opt/app/dist/renderer/index.html');
    expect(ours('file:///opt/app/dist/renderer/index.html#/requests?model=x')).toBe(true);
    expect(ours('file:///opt/app/dist/renderer/index.html.evil')).toBe(false);
    expect(ours('file:///tmp/index.html')).toBe(false);
    expect(ours('https://example.com/opt/app/dist/renderer/index.html')).toBe(false);
    expect(ours('not a url')).toBe(false);
  });

  it('compares http pages by origin', () => {
    const dev = createPageCheck('http://127.0.0.1:5173/');
    expect(dev('http://127.0.0.1:5173/anything')).toBe(true);
    expect(dev('http://127.0.0.1:5173.evil.example/')).toBe(false);
    expect(dev('http://127.0.0.1:5174/')).toBe(false);
    expect(dev('https://127.0.0.1:5173/')).toBe(false);
  });
});
