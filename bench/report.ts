import os from 'node:os';

/** What the benches' reports share: sizes, percentiles and the machine's load (a figure means little on a busy machine). */
export const MiB = 1024 * 1024;
export const mib = (n: number) => `${(n / MiB).toFixed(1)} MiB`;
export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
/** The 1/5/15-minute load averages. */
export const loadAverage = (digits = 2) => os.loadavg().map((l) => l.toFixed(digits)).join(' ');
