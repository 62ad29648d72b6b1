import type { Inputs } from '../api-types.ts';
import { defineCommand, defineGroup } from '../cli/command.ts';
import { UsageError } from '../cli/errors.ts';
import { done, plural, shownOnce } from '../cli/output.ts';
import { confirm, mustConfirm } from '../cli/prompt.ts';
import { deliveryTable, webhookTable } from '../format/webhook.ts';

/** Webhook endpoints: `roster webhooks …` (admins). */

type Events = Inputs['admin']['webhooks']['create']['events'];
const idArg = [{ name: 'id', description: 'Endpoint id (`roster webhooks list` shows them)', required: true }] as const;
const EVENTS_HINT =
  'Events: user.created, user.signedUp, user.approved, user.updated, user.roleChanged, user.suspended, user.unsuspended,\n' +
  'user.deleted, user.restored, user.purged, quota.warning, group.membershipChanged.';
const eventFlag = { type: 'string', multiple: true, short: 'e', value: 'EVENT', description: 'Subscribe to this event (repeat or comma-separate)' } as const;
const privateFlag = {
  type: 'boolean',
  description: 'Allow a private or loopback address (SSRF: only for receivers on your own network)',
} as const;

const list = defineCommand({
  name: 'list',
  summary: 'List webhook endpoints with their state and events',
  flags: {},
  examples: ['roster webhooks list', 'roster webhooks list --json | jq -r ".items[].url"'],
  run: (ctx) => ctx.api().admin.webhooks.list.query(),
  human: ({ items }, ctx) =>
    items.length ? `${webhookTable(items, ctx.style)}\n${ctx.style.dim(plural(items.length, 'endpoint'))}` : 'No webhooks yet: `roster webhooks create URL --event user.created`.',
});

const create = defineCommand({
  name: 'create',
  summary: 'Add an endpoint; prints its signing secret once',
  description: `Each delivery is a signed POST (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature).\n${EVENTS_HINT}`,
  args: [{ name: 'url', description: 'Where to POST (http or https)', required: true }],
  flags: { event: eventFlag, 'allow-private-network': privateFlag },
  examples: [
    'roster webhooks create https://hooks.example.com/roster --event user.created,user.deleted',
    'roster webhooks create http://10.0.0.5/hook -e user.updated --allow-private-network',
    'roster webhooks create https://hooks.example.com/roster -e user.created --json | jq -r .secret',
  ],
  run(ctx, { args, flags }) {
    if (!flags.event.length) throw new UsageError('name at least one --event', EVENTS_HINT);
    return ctx.api().admin.webhooks.create.mutate({ url: args[0]!, events: flags.event as Events, allowPrivateNetwork: flags['allow-private-network'] || undefined });
  },
  human: (w, ctx) => [done(ctx.style, `Created webhook ${ctx.style.bold(w.id)} → ${w.url}`), `  events ${w.events.join(', ')}`, '', ...shownOnce('Signing secret', w.secret, ctx.style)].join('\n'),
});

const update = defineCommand({
  name: 'update',
  summary: 'Change an endpoint: URL, events, enable or disable',
  args: idArg,
  flags: {
    url: { type: 'string', value: 'URL', description: 'New URL' },
    event: { ...eventFlag, description: 'Replace the events with these' },
    enable: { type: 'boolean', description: 'Enable (clears the failure streak)' },
    disable: { type: 'boolean', description: 'Disable: nothing is sent until enabled again' },
    'allow-private-network': privateFlag,
    'deny-private-network': { type: 'boolean', description: 'Take the private-network allowance away' },
  },
  examples: ['roster webhooks update ID --disable', 'roster webhooks update ID --enable --event user.created,user.updated'],
  async run(ctx, { args, flags }) {
    if (flags.enable && flags.disable) throw new UsageError('give --enable or --disable, not both');
    if (flags['allow-private-network'] && flags['deny-private-network']) throw new UsageError('give --allow-private-network or --deny-private-network, not both');
    const patch = {
      url: flags.url,
      events: flags.event.length ? (flags.event as Events) : undefined,
      enabled: flags.enable ? true : flags.disable ? false : undefined,
      allowPrivateNetwork: flags['allow-private-network'] ? true : flags['deny-private-network'] ? false : undefined,
    };
    if (Object.values(patch).every((v) => v === undefined)) throw new UsageError('nothing to change', 'give --url, --event, --enable, --disable or --allow/deny-private-network');
    return ctx.api().admin.webhooks.update.mutate({ id: args[0]!, ...patch });
  },
  human: (w, ctx) => done(ctx.style, `Updated webhook ${w.id}: ${w.enabled ? 'enabled' : 'disabled'}, ${w.events.join(', ')}`),
});

const remove = defineCommand({
  name: 'delete',
  summary: 'Delete an endpoint and its delivery log',
  args: idArg,
  flags: { yes: { type: 'boolean', short: 'y', description: 'Delete without asking' } },
  examples: ['roster webhooks delete ID --yes'],
  async run(ctx, { args, flags }) {
    if (mustConfirm(flags.yes, 'deleting a webhook')) await confirm(`Delete webhook ${args[0]} and its delivery log?`);
    return ctx.api().admin.webhooks.delete.mutate({ id: args[0]! });
  },
  human: (r, ctx) => done(ctx.style, `Deleted webhook ${r.id}`),
});

const deliveries = defineCommand({
  name: 'deliveries',
  summary: "An endpoint's delivery log, newest first",
  args: idArg,
  flags: {
    page: { type: 'string', value: 'N', description: 'Page (default 1)', int: { min: 1, max: 100_000 } },
    'page-size': { type: 'string', value: 'N', description: 'Rows per page (default 25, at most 100)', int: { min: 1, max: 100 } },
  },
  examples: ['roster webhooks deliveries ID', 'roster webhooks deliveries ID --json | jq ".items[] | select(.status==\\"failed\\")"'],
  run: (ctx, { args, flags }) => ctx.api().admin.webhooks.deliveries.query({ id: args[0]!, page: flags.page ?? 1, pageSize: flags['page-size'] ?? 25 }),
  human: (r, ctx) => (r.items.length ? `${deliveryTable(r.items, ctx.style)}\n${ctx.style.dim(`${plural(r.total, 'delivery', 'deliveries')} in all`)}` : 'No deliveries yet.'),
});

const replay = defineCommand({
  name: 'replay',
  summary: 'Send a delivery again (a new delivery of the same event)',
  args: [{ name: 'delivery', description: 'Delivery id (`roster webhooks deliveries ID` shows them)', required: true }],
  flags: {},
  examples: ['roster webhooks replay DELIVERY_ID'],
  run: (ctx, { args }) => ctx.api().admin.webhooks.replay.mutate({ deliveryId: args[0]! }),
  human: (d, ctx) => done(ctx.style, `Queued ${d.event} again as delivery ${d.id}`),
});

const test = defineCommand({
  name: 'test',
  summary: 'Send a webhook.test event to an endpoint',
  args: idArg,
  flags: {},
  examples: ['roster webhooks test ID && roster webhooks deliveries ID'],
  run: (ctx, { args }) => ctx.api().admin.webhooks.test.mutate({ id: args[0]! }),
  human: (d, ctx) => done(ctx.style, `Queued a test event as delivery ${d.id}; \`roster webhooks deliveries ${d.endpointId}\` shows how it went`),
});

export const webhooks = defineGroup({
  name: 'webhooks',
  summary: 'Manage webhook endpoints: signed POSTs when users and groups change',
  children: [list, create, update, remove, deliveries, replay, test],
  default: 'list',
  examples: ['roster webhooks create https://hooks.example.com/roster --event user.created', 'roster webhooks deliveries ID'],
});
