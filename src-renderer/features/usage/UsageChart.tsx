import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration } from 'chart.js';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { formatChartValue, type ChartSpec } from './chartData.ts';

// Only what these charts use, so the bundle carries no other chart type.
Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface UsageChartProps {
  /** The chart's name, shown as its heading and read as the canvas's label. */
  title: string;
  spec: ChartSpec;
  testId: string;
  /** A line under the chart (what it leaves out). */
  note?: ReactNode;
}

/**
 * One chart in its card: drawn by Chart.js on a canvas (no style element or inline style
 * attribute, so the page's Content-Security-Policy holds: a height React sets is a style property, not an attribute), with the same figures in a visually
 * hidden table for screen readers, and words in place of an empty chart.
 */
export function UsageChart({ title, spec, testId, note }: UsageChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const frame = useRef<HTMLDivElement>(null);
  const theme = useThemeVersion();
  // Nothing to draw: no value at all, or only zeros where zero means nothing (a 0 % rate is a figure).
  const empty = spec.labels.length === 0 || spec.series.every((series) => series.values.every((value) => value === null || (value === 0 && spec.unit !== 'percent')));

  useEffect(() => {
    if (empty || !canvas.current || !frame.current) return undefined;
    const style = getComputedStyle(frame.current);
    const chart = new Chart(canvas.current, chartConfig(spec, { text: style.color, grid: style.borderTopColor }));
    return () => chart.destroy();
  }, [spec, empty, theme]);

  return (
    <section className="usage-chart" data-testid={testId} aria-labelledby={`${testId}-title`}>
      <h3 className="usage-chart-title" id={`${testId}-title`}>
        {title}
      </h3>
      {empty ? (
        <p className="muted usage-chart-empty">Nothing to show for this range.</p>
      ) : (
        <div className="usage-chart-frame" ref={frame} style={spec.horizontal ? { height: barsHeight(spec) } : undefined}>
          <canvas ref={canvas} role="img" aria-label={`${title}: ${describe(spec)}`} />
        </div>
      )}
      {note === undefined ? null : <p className="usage-chart-note">{note}</p>}
      {empty ? null : <ChartTable title={title} spec={spec} />}
    </section>
  );
}

/**
 * The chart's figures as a table only screen readers see, hidden by a wrapper: a table is as wide
 * as its content whatever width it is given, so a hidden table of long names stretched the view sideways.
 */
function ChartTable({ title, spec }: { title: string; spec: ChartSpec }) {
  return (
    <div className="visually-hidden">
      <table data-testid="usage-chart-table">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{spec.horizontal ? 'Name' : 'Day'}</th>
            {spec.series.map((series) => (
              <th scope="col" key={series.label}>
                {series.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {spec.labels.map((label, row) => (
            <tr key={`${label}-${row}`}>
              <th scope="row">{label}</th>
              {spec.series.map((series) => (
                <td key={series.label}>{formatChartValue(series.values[row] ?? null, spec.unit)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A chart with a bar per name is as tall as its names need (at least the frame's 190 pixels): in a
 * fixed height Chart.js leaves out the names that do not fit, and a bar without one says nothing.
 */
function barsHeight(spec: ChartSpec): number {
  const perName = spec.series.length > 1 ? 30 : 18;
  return Math.max(190, spec.labels.length * perName + (spec.series.length > 1 ? 60 : 40));
}

/** A one-line summary for the canvas's label: the series and the largest value. */
function describe(spec: ChartSpec): string {
  const values = spec.series.flatMap((series) => series.values.filter((value): value is number => value !== null));
  const most = values.length === 0 ? null : Math.max(...values);
  return `${spec.series.map((series) => series.label).join(', ')} for ${spec.labels.length} ${spec.horizontal ? 'entries' : 'days'}; the highest is ${formatChartValue(most, spec.unit)}. The figures are in the table that follows.`;
}

function chartConfig(spec: ChartSpec, colors: { text: string; grid: string }): ChartConfiguration<'bar' | 'line'> {
  const valueAxis = {
    beginAtZero: true,
    stacked: spec.stacked === true,
    ticks: { color: colors.text, callback: (value: string | number) => formatChartValue(Number(value), spec.unit) },
    grid: { color: colors.grid },
    ...(spec.unit === 'percent' ? { max: 100 } : {}),
  };
  // Days may be thinned out along the bottom; names beside bars never are (the frame has room for each).
  const categoryAxis = { stacked: spec.stacked === true, ticks: { color: colors.text, autoSkip: spec.horizontal !== true, maxRotation: 0 }, grid: { display: false } };
  return {
    type: spec.kind,
    data: {
      labels: spec.labels,
      datasets: spec.series.map((series) => ({
        label: series.label,
        data: series.values,
        backgroundColor: series.color,
        borderColor: series.color,
        spanGaps: spec.kind === 'line',
        pointRadius: spec.kind === 'line' ? 3 : 0,
        maxBarThickness: 28,
      })),
    },
    options: {
      indexAxis: spec.horizontal ? 'y' : 'x',
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: spec.horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
      plugins: {
        legend: { display: spec.series.length > 1, labels: { color: colors.text, boxWidth: 12 } },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label ?? ''}: ${formatChartValue(item.parsed[spec.horizontal ? 'x' : 'y'] ?? null, spec.unit)}` } },
      },
    },
  };
}

/** Changes when the theme does (the app's choice or the system's), so charts redraw in its colours. */
function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((value) => value + 1);
    const observer = new MutationObserver(bump);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', bump);
    return () => {
      observer.disconnect();
      media.removeEventListener('change', bump);
    };
  }, []);
  return version;
}
