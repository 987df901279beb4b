// The status bar's OpenTelemetry item: shown while the export is on. Pushed with the app status.
import type { OtlpExportStatus } from '../../../electron/core/contract/otlp-settings';
import { formatInt } from '../lib/format';

export function OtlpStatusItem({ otlp, offline }: { otlp: OtlpExportStatus; offline: boolean }) {
  const failing = otlp.state === 'failing';
  const title = [
    `OpenTelemetry export to ${otlp.destination}`,
    otlp.lastExportAt ? `last accepted ${new Date(otlp.lastExportAt).toLocaleString()}` : 'nothing accepted yet',
    otlp.lastError ? `${failing ? 'failing' : 'warning'}: ${otlp.lastError}` : null,
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <span className="item" title={title} data-testid="otlp-status">
      <span className={`dot ${offline ? '' : failing ? 'bad' : otlp.lastError ? 'warn' : 'ok'}`} />
      OTLP {failing ? 'failing' : 'exporting'}
      <span className="num">
        {' '}
        · exported {formatInt(otlp.exported)} · pending {formatInt(otlp.pending)}
      </span>
      {failing && otlp.lastError && <span className="err otlp-error"> · {otlp.lastError}</span>}
    </span>
  );
}
