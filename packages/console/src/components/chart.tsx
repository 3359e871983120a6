import "uplot/dist/uPlot.min.css";
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import { Table } from "./table.tsx";

export interface ChartSeries {
  label: string;
  values: (number | null)[];
}

export interface ChartProps {
  /** Names the chart and its table. */
  caption: string;
  /** The x values: days, as Unix seconds. */
  x: number[];
  series: ChartSeries[];
  /** How a y value is written (axis, legend and table). */
  format: (value: number) => string;
  height?: number;
}

const PALETTE = ["--chart-1", "--chart-2", "--chart-3", "--chart-4"];

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

const DAY = 86_400;

function day(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

/** `12-07`: the axis has no room for the year. */
function shortDay(seconds: number): string {
  return day(seconds).slice(5);
}

/**
 * A uPlot line chart (canvas, hidden from screen readers) with the same numbers as a table
 * under it, which anyone can open.
 */
export function Chart({ caption, x, series, format, height = 240 }: ChartProps) {
  const target = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = target.current;
    if (!element) {
      return undefined;
    }
    const text = cssVar("--text-muted");
    const grid = cssVar("--border");
    const axis = { stroke: text, grid: { stroke: grid }, ticks: { stroke: grid } };
    const plot = new uPlot(
      {
        width: Math.max(element.clientWidth, 280),
        height,
        series: [
          { label: "Day", value: (_u, v) => (v == null ? "" : day(v)) },
          ...series.map((s, i) => ({
            label: s.label,
            stroke: cssVar(PALETTE[i % PALETTE.length] ?? "--chart-1"),
            width: 2,
            value: (_u: uPlot, v: number | null) => (v == null ? "" : format(v)),
          })),
        ],
        axes: [
          // Days, never hours: a day is the report's smallest bucket.
          { ...axis, incrs: [DAY, 2 * DAY, 7 * DAY, 14 * DAY], values: (_u, v) => v.map(shortDay) },
          { ...axis, size: 70, values: (_u, values) => values.map(format) },
        ],
        scales: { x: { time: true } },
      },
      [x, ...series.map((s) => s.values)],
      element,
    );
    const resize = new ResizeObserver(() => {
      plot.setSize({ width: Math.max(element.clientWidth, 280), height });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [x, series, format, height]);

  const rows = x.map((seconds, index) => ({ seconds, index }));
  return (
    <figure class="chart">
      <figcaption>{caption}</figcaption>
      <div ref={target} aria-hidden="true" class="chart-canvas" />
      <details>
        <summary>Show the numbers as a table</summary>
        <Table
          caption={caption}
          rowKey={(row) => String(row.seconds)}
          rows={rows}
          columns={[
            { header: "Day", cell: (row) => day(row.seconds) },
            ...series.map((s) => ({
              header: s.label,
              numeric: true,
              cell: (row: { index: number }) => {
                const value = s.values[row.index];
                return value == null ? "–" : format(value);
              },
            })),
          ]}
        />
      </details>
    </figure>
  );
}
