// The app menu per OS: the items and shortcuts people expect there, and each item doing its job.
import { describe, expect, it } from 'vitest';
import { appMenuTemplate, type MenuItemSpec } from '../../../electron/core/desktop/app-menu';

function menuFor(platform: NodeJS.Platform, development = false) {
  const calls: string[] = [];
  const template = appMenuTemplate({
    platform,
    development,
    appName: 'LLM Request Inspector',
    actions: {
      command: (c) => calls.push(c),
      about: () => calls.push('about'),
      checkForUpdates: () => calls.push('updates'),
    },
  });
  const all = (items: MenuItemSpec[]): MenuItemSpec[] => items.flatMap((i) => [i, ...all(i.submenu ?? [])]);
  const find = (label: string) => all(template).find((i) => i.label === label);
  const roles = (top: number) => (template[top]!.submenu ?? []).map((i) => i.role ?? i.label ?? '-');
  return { template, calls, find, roles, all: all(template) };
}

describe('app menu', () => {
  it('macOS: an app menu with About, Check for Updates, Settings ⌘,, Hide and Quit ⌘Q', () => {
    const m = menuFor('darwin');
    expect(m.template.map((i) => i.label ?? i.role)).toEqual([
      'LLM Request Inspector',
      'File',
      'Edit',
      'View',
      'window',
      'help',
    ]);
    expect(m.roles(0)).toEqual([
      'About LLM Request Inspector',
      'Check for Updates…',
      '-',
      'Settings…',
      '-',
      'services',
      '-',
      'hide',
      'hideOthers',
      'unhide',
      '-',
      'quit',
    ]);
    expect(m.all.find((i) => i.role === 'quit')?.accelerator).toBe('CmdOrCtrl+Q');
    expect(m.roles(4)).toEqual(['minimize', 'zoom', '-', 'front']);
  });

  it('Linux and Windows: Settings and Quit in File, updates and About in Help', () => {
    for (const platform of ['linux', 'win32'] as const) {
      const m = menuFor(platform);
      expect(m.template.map((i) => i.label ?? i.role)).toEqual(['&File', '&Edit', '&View', 'window', 'help']);
      expect(m.roles(0)).toEqual(['Export…', 'Open Log Database…', '-', 'Settings', 'Clear Logs…', '-', 'quit']);
      expect(m.roles(4)).toEqual(['Check for Updates…', '-', 'About LLM Request Inspector']);
    }
  });

  it('Edit has the roles that make the clipboard work in the page', () => {
    const m = menuFor('linux');
    expect(m.roles(1)).toEqual(['undo', 'redo', '-', 'cut', 'copy', 'paste', 'delete', '-', 'selectAll']);
    expect(menuFor('darwin').roles(2)).toContain('pasteAndMatchStyle');
  });

  it('offers reload and developer tools in development only', () => {
    expect(menuFor('linux', false).all.some((i) => i.role === 'toggleDevTools' || i.role === 'reload')).toBe(false);
    expect(menuFor('linux', true).roles(2).slice(0, 3)).toEqual(['reload', 'forceReload', 'toggleDevTools']);
  });

  it('uses CmdOrCtrl shortcuts, none twice, and each item does what it says', () => {
    for (const platform of ['darwin', 'linux', 'win32'] as const) {
      const m = menuFor(platform);
      const accels = m.all.map((i) => i.accelerator).filter(Boolean);
      expect(new Set(accels).size).toBe(accels.length);
      expect(accels.every((a) => a!.startsWith('CmdOrCtrl+'))).toBe(true);
      for (const label of [
        'Export…',
        'Open Log Database…',
        'Clear Logs…',
        'Check for Updates…',
        'About LLM Request Inspector',
      ])
        m.find(label)!.click!();
      m.all.find((i) => i.accelerator === 'CmdOrCtrl+,')!.click!();
      expect(m.calls).toEqual(['export', 'open-database', 'clear-logs', 'updates', 'about', 'settings']);
    }
  });
});
