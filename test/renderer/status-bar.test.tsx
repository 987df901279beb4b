// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppStatus } from '../../electron/core/api/contract-types';
import { StatusBar } from '../../renderer/src/components/status-bar';

afterEach(cleanup);

const status = {
  proxy: { state: 'listening', url: 'http://127.0.0.1:8080', error: null },
  upstreams: [{ name: 'openai', baseUrl: 'https://api.openai.com', mount: '/openai' }],
  writer: { state: 'ok', queued: 0, failed: 0, dropped: 0, lastError: null },
  database: { path: '/data/log.sqlite', sizeBytes: 2048 },
} as unknown as AppStatus;

describe('status bar', () => {
  it('shows health with green dots while connected', () => {
    const { container } = render(<StatusBar status={status} connectionError={null} />);
    expect(container.querySelectorAll('.dot.ok')).toHaveLength(2);
    expect(screen.queryByText(/disconnected/)).toBeNull();
  });

  it('says the status is the last one known once the connection is lost, with no green dots', () => {
    const { container } = render(<StatusBar status={status} connectionError="reconnecting…" />);
    expect(screen.getByText(/disconnected · last known/)).toBeTruthy();
    expect(container.querySelectorAll('.dot.ok')).toHaveLength(0);
    expect(screen.getByText('http://127.0.0.1:8080')).toBeTruthy();
  });
});
