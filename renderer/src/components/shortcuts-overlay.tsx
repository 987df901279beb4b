import { Dialog } from './dialogs';

// The `?` overlay: every keyboard shortcut in one place. Kept beside the handlers' keys by hand;
// the e2e test presses each one listed here.

export const SHORTCUTS: [keys: string[], what: string][] = [
  [['↑', 'k'], 'Select the previous request'],
  [['↓', 'j'], 'Select the next request'],
  [['Enter'], 'Open the selected request (grouped by thread: a thread line opens its timeline)'],
  [['→', 'l'], 'Grouped by thread: open the thread, then step into its turns'],
  [['←', 'h'], "Grouped by thread: close the thread, or step back to a turn's thread"],
  [['Esc'], 'Close the detail, then clear the selection, then the filter'],
  [['/'], 'Focus the filter'],
  [['?'], 'Show or hide these shortcuts'],
];

export function ShortcutsOverlay({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose}>
      <table className="shortcuts" data-testid="shortcuts">
        <tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <tr key={what}>
              <td>
                {keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && <span className="faint"> or </span>}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="buttons">
        <button className="primary" autoFocus onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
