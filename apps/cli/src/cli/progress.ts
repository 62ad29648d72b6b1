import { bytes } from './output.ts';

export interface Progress {
  advance(n: number): void;
  /** Clears the bar; the caller prints the outcome. */
  end(): void;
}

const NONE: Progress = { advance() {}, end() {} };

/**
 * A one-line bar on stderr, redrawn at most ten times a second: only when
 * stderr is a terminal, so pipes, logs and CI output stay clean.
 */
export function progress(
  label: string,
  total: number | null,
  stream: NodeJS.WriteStream = process.stderr,
  /** How amounts read: bytes by default, or counts (`users bulk`). */
  unit: { amount(n: number): string; rate: boolean } = { amount: bytes, rate: true },
): Progress {
  if (!stream.isTTY) return NONE;
  const started = Date.now();
  let done = 0;
  let last = 0;
  const draw = () => {
    const width = Math.max(10, Math.min(30, (stream.columns ?? 80) - 60));
    const secs = (Date.now() - started) / 1000;
    const rate = secs > 0.5 && unit.rate ? `  ${unit.amount(done / secs)}/s` : '';
    const name = label.length > 24 ? `${label.slice(0, 23)}…` : label;
    let line: string;
    if (total) {
      const f = Math.min(1, done / total);
      const filled = Math.round(f * width);
      line = `${name}  ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${String(Math.floor(f * 100)).padStart(3)}%  ${unit.amount(done)} / ${unit.amount(total)}${rate}`;
    } else {
      line = `${name}  ${unit.amount(done)}${rate}`;
    }
    stream.write(`\r\x1b[K${line}`);
  };
  draw();
  return {
    advance(n) {
      done += n;
      const now = Date.now();
      if (now - last >= 100) {
        last = now;
        draw();
      }
    },
    end() {
      stream.write('\r\x1b[K');
    },
  };
}
