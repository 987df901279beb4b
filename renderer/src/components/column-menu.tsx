import { useEffect, useRef, useState } from 'react';
import { COLUMNS } from './columns';

/** Show, hide and reorder the list's columns. */
export function ColumnMenu({ visible, onChange }: { visible: string[]; onChange: (ids: string[]) => void }) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => box.current && !box.current.contains(e.target as Node) && setOpen(false);
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    window.addEventListener('mousedown', close);
    window.addEventListener('keydown', esc);
    return () => {
      window.removeEventListener('mousedown', close);
      window.removeEventListener('keydown', esc);
    };
  }, [open]);
  // Visible columns in the user's order, then the hidden ones.
  const order = [...visible, ...COLUMNS.map((c) => c.id).filter((id) => !visible.includes(id))];
  const title = (id: string) => COLUMNS.find((c) => c.id === id)?.title ?? id;
  const move = (id: string, by: -1 | 1) => {
    const i = visible.indexOf(id);
    const j = i + by;
    if (i < 0 || j < 0 || j >= visible.length) return;
    const next = [...visible];
    [next[i], next[j]] = [next[j]!, next[i]!];
    onChange(next);
  };
  return (
    <div className="column-menu" ref={box}>
      <button className="link" title="Columns" aria-label="Columns" aria-expanded={open} onClick={() => setOpen(!open)}>
        ⋮
      </button>
      {open && (
        <div className="popover" role="menu">
          {order.map((id) => {
            const on = visible.includes(id);
            return (
              <div key={id} className="popover-row">
                <label>
                  <input
                    type="checkbox"
                    checked={on}
                    disabled={on && visible.length === 1}
                    onChange={() => onChange(on ? visible.filter((x) => x !== id) : [...visible, id])}
                  />
                  {title(id)}
                </label>
                {on && (
                  <span>
                    <button className="link" aria-label={`Move ${title(id)} left`} onClick={() => move(id, -1)}>
                      ↑
                    </button>
                    <button className="link" aria-label={`Move ${title(id)} right`} onClick={() => move(id, 1)}>
                      ↓
                    </button>
                  </span>
                )}
              </div>
            );
          })}
          <button className="link" onClick={() => onChange(COLUMNS.map((c) => c.id))}>
            Reset
          </button>
        </div>
      )}
    </div>
  );
}
