import { describe, expect, it } from 'vitest';
import { ABOUT_CSP, aboutDataUrl, aboutHtml } from '../../electron/core/about-page';

const info = {
  name: 'LLM Request Inspector',
  version: '0.1.0',
  electron: '38.8.6',
  chrome: '140.0.0.0',
  node: '22.19.0',
  dataDir: '/home/a/.config/LLM Request Inspector',
  logFile: '/home/a/.config/LLM Request Inspector/app.log',
};

describe('about page', () => {
  it('shows name, version, versions and where data lives', () => {
    const html = aboutHtml(info);
    for (const text of [
      '<h1>LLM Request Inspector</h1>',
      'Version 0.1.0',
      '38.8.6',
      '140.0.0.0',
      '22.19.0',
      info.dataDir,
      info.logFile,
    ]) {
      expect(html).toContain(text);
    }
  });

  it('escapes what it shows (a data folder name is user-controlled) and allows no script', () => {
    const html = aboutHtml({ ...info, dataDir: '/tmp/<script>alert("x")</script>&' });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;');
    expect(ABOUT_CSP).toContain("default-src 'none'");
    expect(ABOUT_CSP).not.toContain('script-src');
  });

  it('is a data: URL that decodes back to the page', () => {
    const url = aboutDataUrl(info);
    expect(url.startsWith('data:text/html;charset=utf-8,')).toBe(true);
    expect(decodeURIComponent(url.slice(url.indexOf(',') + 1))).toBe(aboutHtml(info));
  });
});
