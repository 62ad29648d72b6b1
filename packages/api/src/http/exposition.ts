/**
 * Prometheus text exposition (format 0.0.4), written by hand: the few
 * metric kinds Roster needs, with label sets fixed when a series is first
 * seen, so counting a request touches two numbers and allocates nothing.
 */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type Labels = Record<string, string>;

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
export function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

const num = (v: number) => (Number.isFinite(v) ? String(v) : v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN');

export function header(name: string, type: 'counter' | 'gauge' | 'histogram', help: string): string {
  return `# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${name} ${type}\n`;
}

/** A counter or gauge family: one line per label set. */
export function samples(name: string, type: 'counter' | 'gauge', help: string, rows: Array<[Labels, number]>): string {
  return header(name, type, help) + rows.map(([labels, v]) => `${name}${labelText(labels)} ${num(v)}\n`).join('');
}

/** One histogram series: cumulative bucket counts, sum and count. */
export class HistogramSeries {
  readonly bounds: readonly number[];
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  constructor(bounds: readonly number[]) {
    this.bounds = bounds;
    this.counts = new Float64Array(bounds.length);
  }
  observe(v: number): void {
    this.sum += v;
    this.count++;
    for (let i = 0; i < this.bounds.length; i++) if (v <= this.bounds[i]!) this.counts[i]!++;
  }
  lines(name: string, labels: Labels): string {
    let out = '';
    const base = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}",`).join('');
    for (let i = 0; i < this.bounds.length; i++) out += `${name}_bucket{${base}le="${this.bounds[i]}"} ${this.counts[i]}\n`;
    out += `${name}_bucket{${base}le="+Inf"} ${this.count}\n`;
    return out + `${name}_sum${labelText(labels)} ${this.sum}\n${name}_count${labelText(labels)} ${this.count}\n`;
  }
}
