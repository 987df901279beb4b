// One labelled setting: its control, the error that refuses it, and a line of help.
import type { ReactNode } from 'react';

export function Field({
  label,
  help,
  error,
  children,
  id,
}: {
  label: string;
  help?: string;
  error?: string | undefined;
  children: ReactNode;
  id: string;
}) {
  return (
    <div className={`field${error ? ' invalid' : ''}`} data-field={id}>
      <label htmlFor={id}>{label}</label>
      <div>{children}</div>
      {error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
      {help && <div className="help">{help}</div>}
    </div>
  );
}
