// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppStatus } from '../../electron/core/contract/types';
import { Banners, StatusBar } from '../../renderer/src/components/status-bar';

afterEach(cleanup);

const status = {
  proxy: { state: 'listening', url: 'http://127.0.0.1:8080', error: null },
  upstreams: [{ name: 'openai', baseUrl: 'https://api.openai.com', mount: '/openai' }],
  writer: { state: 'ok', queued: 0, failed: 0, dropped: 0, lastError: null },
  database: { path: '/data/log.sqlite', sizeBytes: 2048 },
  otlp: null,
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

describe('OpenTelemetry export item', () => {
  const otlp = {
    state: 'exporting',
    destination: 'http://collector:4318/v1/traces',
    exported: 1234,
    pending: 0,
    lastError: null,
    lastExportAt: '2026-12-06T10:00:00.000Z',
  };

  it('is absent while the export is off, and says exported and pending while it runs', () => {
    const { rerender, container } = render(<StatusBar status={status} connectionError={null} />);
    expect(screen.queryByTestId('otlp-status')).toBeNull();
    rerender(<StatusBar status={{ ...status, otlp } as AppStatus} connectionError={null} />);
    const item = screen.getByTestId('otlp-status');
    expect(item.textContent).toBe('OTLP exporting · exported 1,234 · pending 0');
    expect(item.title).toContain('http://collector:4318/v1/traces');
    expect(container.querySelectorAll('.dot.ok')).toHaveLength(3);
  });

  it("says failing, with the receiver's last error, in red", () => {
    const failing = { ...otlp, state: 'failing', pending: 12, lastError: 'HTTP 503 Service Unavailable' };
    render(<StatusBar status={{ ...status, otlp: failing } as AppStatus} connectionError={null} />);
    const item = screen.getByTestId('otlp-status');
    expect(item.textContent).toBe('OTLP failing · exported 1,234 · pending 12 · HTTP 503 Service Unavailable');
    expect(item.querySelector('.dot.bad')).not.toBeNull();
  });
});

describe('banners', () => {
  it('says when the proxy could not listen, what failed, and where to fix it', () => {
    const failed = {
      ...status,
      proxy: { state: 'bind_failed', url: null, error: 'EADDRINUSE 127.0.0.1:8080: address already in use' },
    } as unknown as AppStatus;
    render(<Banners status={failed} connectionError={null} />);
    const banner = screen.getByRole('alert');
    expect(banner.textContent).toContain('The proxy could not listen: EADDRINUSE 127.0.0.1:8080');
    expect(banner.textContent).toContain('Change the port in Settings');
  });

  it('says when the log can’t be written and when rows were dropped; nothing when all is well', () => {
    const { rerender } = render(<Banners status={status} connectionError={null} />);
    expect(screen.queryByRole('alert')).toBeNull();
    const stuck = {
      ...status,
      writer: {
        state: 'retrying',
        queued: 40,
        failed: 2,
        dropped: 3,
        lastError: 'SQLITE_FULL: database or disk is full',
      },
    } as unknown as AppStatus;
    rerender(<Banners status={stuck} connectionError={null} />);
    const texts = screen.getAllByRole('alert').map((b) => b.textContent);
    expect(texts).toEqual([
      "The log database can't be written (SQLITE_FULL: database or disk is full); requests are queued and retried.",
      '3 requests were not logged because the write queue was full.',
    ]);
  });

  it('says when the writer thread stopped and is being started again', () => {
    const restarting = {
      ...status,
      writer: {
        state: 'restarting',
        queued: 5,
        failed: 0,
        dropped: 2,
        lastError: 'writer thread exited (code 1); 2 records it held were not written; starting it again in 1 s',
      },
    } as unknown as AppStatus;
    render(<Banners status={restarting} connectionError={null} />);
    expect(screen.getAllByRole('alert').map((b) => b.textContent)).toEqual([
      'The log writer stopped (writer thread exited (code 1); 2 records it held were not written; ' +
        'starting it again in 1 s); new requests are queued for it.',
      '2 requests were not logged.',
    ]);
  });
});
