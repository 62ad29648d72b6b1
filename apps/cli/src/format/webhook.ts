import type { Outputs } from '../api-types.ts';
import { dateTime, relativeTime, table, type Style } from '../cli/output.ts';

export type Webhook = Outputs['admin']['webhooks']['update'];
export type Delivery = Outputs['admin']['webhooks']['deliveries']['items'][number];

const state = (w: Webhook, s: Style) => (w.enabled ? (w.firstFailureAt ? s.yellow('failing') : s.green('enabled')) : s.red('disabled'));

export function webhookTable(items: readonly Webhook[], s: Style): string {
  return table(
    items,
    [
      { header: 'ID', cell: (w) => s.dim(w.id) },
      { header: 'URL', cell: (w) => s.bold(w.url) + (w.allowPrivateNetwork ? s.yellow(' (private ok)') : '') },
      { header: 'STATE', cell: (w) => state(w, s) },
      { header: 'EVENTS', cell: (w) => w.events.join(', ') },
      { header: 'LAST SUCCESS', cell: (w) => (w.lastSuccessAt ? relativeTime(w.lastSuccessAt) : s.dim('never')) },
    ],
    s,
  );
}

const status = (d: Delivery, s: Style) =>
  d.status === 'succeeded' ? s.green(d.status) : d.status === 'failed' ? s.red(d.status) : s.yellow(d.status);

export function deliveryTable(items: readonly Delivery[], s: Style): string {
  return table(
    items,
    [
      { header: 'ID', cell: (d) => s.dim(d.id) },
      { header: 'EVENT', cell: (d) => d.event + (d.replayOf ? s.dim(' (replay)') : '') },
      { header: 'STATUS', cell: (d) => status(d, s) },
      { header: 'TRIES', cell: (d) => String(d.attempts).padStart(5) },
      { header: 'CODE', cell: (d) => (d.lastStatusCode ? String(d.lastStatusCode) : s.dim('-')) },
      { header: 'WHEN', cell: (d) => dateTime(d.createdAt) },
      { header: 'LAST ERROR', cell: (d) => d.lastError ?? '' },
    ],
    s,
  );
}
