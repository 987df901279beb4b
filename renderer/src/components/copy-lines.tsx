import { copyWithToast } from '../lib/clipboard';

/** Labelled one-line texts a user pastes elsewhere (shell exports, agent configs), each with Copy. */
export function CopyLines({ lines }: { lines: readonly { label: string; text: string }[] }) {
  return (
    <>
      {lines.map((l) => (
        <div key={`${l.label}\n${l.text}`}>
          <div className="faint" style={{ fontSize: 12 }}>
            {l.label}
          </div>
          <div className="copyline">
            <code>{l.text}</code>
            <button onClick={() => void copyWithToast(l.text, l.label)}>Copy</button>
          </div>
        </div>
      ))}
    </>
  );
}
