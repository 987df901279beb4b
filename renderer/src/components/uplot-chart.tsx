import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

interface Props {
  data: uPlot.AlignedData;
  options: Omit<uPlot.Options, 'width' | 'height'>;
  height: number;
  className?: string;
  label: string;
}

/** uPlot in a resizable box; the plot is rebuilt when the options object changes, data is set in place. */
export function UplotChart({ data, options, height, className, label }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const dataRef = useRef(data);
  dataRef.current = data;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const p = new uPlot({ ...options, width: Math.max(50, el.clientWidth), height }, dataRef.current, el);
    plot.current = p;
    const ro = new ResizeObserver(() => p.setSize({ width: Math.max(50, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      p.destroy();
      plot.current = null;
    };
  }, [options, height]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  // data-points: how many x values the plot was last given, for anything that waits for a redraw.
  return (
    <div
      ref={box}
      className={className}
      style={{ width: '100%' }}
      role="img"
      aria-label={label}
      data-points={data[0].length}
    />
  );
}

export { cssVar } from '../lib/css-var';
