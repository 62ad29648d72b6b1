import { Migration } from '@mikro-orm/migrations';

/** users row → the fields core's toAdminUser reads (camelCase), for a payload snapshot taken at commit. */
const USER_JSON = `jsonb_build_object('id', u.id, 'email', u.email, 'name', u.name, 'role', u.role, 'status', u.status,
  'avatarUrl', u.avatar_url, 'storageLabel', u.storage_label, 'quotaBytes', u.quota_bytes, 'usageBytes', u.usage_bytes,
  'mustChangePassword', u.must_change_password, 'createdAt', u.created_at, 'updatedAt', u.updated_at,
  'lastActiveAt', u.last_active_at, 'deletedAt', u.deleted_at, 'purgeAt', u.purge_at, 'purgeStartedAt', u.purge_started_at,
  'suspendedReason', u.suspended_reason, 'suspendedUntil', u.suspended_until)`;

/**
 * Signed webhooks (issue 13). Endpoints, and an outbox of deliveries that
 * the worker's relay hands to BullMQ.
 *
 * Emission is a trigger on audit_log, not application code: every domain
 * change already writes its audit row in its own transaction, so one
 * deferred trigger there sees every change (ORM flushes, plain SQL such as
 * the purge's last step, the membership expiry job) and nothing can forget
 * it. Deferred to commit, it reads the rows as the transaction leaves them
 * (the user after the update, not before), and a rolled-back change never
 * fires it. With no enabled endpoint it costs one probe of a tiny table
 * inside the writing transaction, no round trip and no cache to go stale
 * across processes. The action → event table below is the one mapping;
 * core/webhooks/events.ts is the catalogue of the names it produces.
 * A quota warning (usage crossing 90 %) has no audit row; a trigger on
 * users.quota_warned_percent emits it the same way.
 */
export class Migration0024Webhooks extends Migration {
  override up(): void {
    this.addSql(`create table webhook_endpoints (
      id uuid primary key,
      url text not null check (length(url) <= 2048),
      events text[] not null,
      enabled boolean not null default true,
      allow_private_network boolean not null default false,
      secret text not null,
      created_by_id uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      last_success_at timestamptz,
      first_failure_at timestamptz,
      disabled_reason text)`);
    this.addSql(`create table webhook_deliveries (
      id uuid primary key,
      endpoint_id uuid not null references webhook_endpoints (id) on delete cascade,
      event text not null,
      occurred_at timestamptz not null,
      data jsonb not null,
      status text not null default 'pending' check (status in ('pending', 'queued', 'succeeded', 'failed')),
      attempts integer not null default 0,
      last_status_code integer,
      last_error text,
      created_at timestamptz not null default now(),
      relayed_at timestamptz,
      last_attempt_at timestamptz,
      delivered_at timestamptz,
      replay_of uuid)`);
    this.addSql(`create index webhook_deliveries_endpoint on webhook_deliveries (endpoint_id, created_at desc)`);
    this.addSql(`create index webhook_deliveries_pending on webhook_deliveries (created_at) where status in ('pending', 'queued')`);
    this.addSql(`create index webhook_deliveries_user on webhook_deliveries ((data->'user'->>'id'))`);

    // Adds one delivery per enabled endpoint that subscribes to an event.
    this.addSql(`create function roster_webhook_fanout(evs text[], at timestamptz, payload jsonb) returns void language sql as $$
      insert into webhook_deliveries (id, endpoint_id, event, occurred_at, data)
      select gen_random_uuid(), e.id, ev, at, payload
        from webhook_endpoints e cross join unnest(evs) as ev
       where e.enabled and ev = any (e.events) $$`);
    this.addSql(`create function roster_webhook_from_audit() returns trigger language plpgsql as $$
      declare
        evs text[];
        d jsonb := coalesce(new.details, '{}'::jsonb);
        old_role text := coalesce(d->'role'->>0, d->'before'->>'role');
        new_role text := coalesce(d->'role'->>1, d->'after'->>'role');
        payload jsonb;
      begin
        if new.action = 'user.purge' then
          -- The purge keeps no personal data: sent (or given up) deliveries about the user keep only the id.
          update webhook_deliveries set data = jsonb_build_object('user', jsonb_build_object('id', new.target_id), 'scrubbed', true)
           where data->'user'->>'id' = new.target_id::text and status in ('succeeded', 'failed');
        end if;
        if not exists (select 1 from webhook_endpoints where enabled) then return null; end if;
        evs := case new.action
          when 'user.create' then array['user.created']
          when 'user.signUp' then array['user.signedUp']
          when 'invitation.accept' then array['user.created']
          when 'user.update' then array['user.updated']
            || case when new_role is not null and new_role is distinct from old_role then array['user.roleChanged'] else '{}' end
            || case when old_role = 'pending' and new_role in ('user', 'admin') then array['user.approved'] else '{}' end
          when 'user.suspend' then array['user.suspended']
          when 'user.unsuspend' then array['user.unsuspended']
          when 'user.delete' then array['user.deleted']
          when 'user.restore' then array['user.restored']
          when 'user.purge' then array['user.purged']
          when 'group.members.add' then array['group.membershipChanged']
          when 'group.members.remove' then array['group.membershipChanged']
          when 'group.member.expired' then array['group.membershipChanged']
          else null end;
        if evs is null then return null; end if;
        if new.action like 'group.%' then
          select jsonb_build_object('group', jsonb_build_object('id', g.id, 'name', g.name, 'description', g.description,
                   'grants', g.grants, 'denies', g.denies, 'createdAt', g.created_at, 'updatedAt', g.updated_at,
                   'memberCount', (select count(*) from group_members m where m.group_id = g.id and (m.expires_at is null or m.expires_at > now()))),
                 'change', jsonb_build_object('action', new.action, 'details', d))
            into payload from groups g where g.id = new.target_id;
          payload := coalesce(payload, jsonb_build_object('group', jsonb_build_object('id', new.target_id), 'change', jsonb_build_object('action', new.action, 'details', d)));
        elsif new.action = 'user.purge' then
          -- The row is gone: what is left is the id and the dates the purge record keeps.
          payload := jsonb_build_object('user', jsonb_build_object('id', new.target_id, 'deletedAt', d->'deletedAt', 'purgeAt', d->'purgeAt', 'purgedAt', new.at));
        else
          select jsonb_build_object('user', ${USER_JSON}) into payload from users u where u.id = new.target_id;
          if payload is null then return null; end if;
        end if;
        perform roster_webhook_fanout(evs, new.at, payload);
        return null;
      end $$`);
    this.addSql(`create constraint trigger audit_log_webhooks after insert on audit_log deferrable initially deferred
      for each row execute function roster_webhook_from_audit()`);
    this.addSql(`create function roster_webhook_quota() returns trigger language plpgsql as $$
      declare payload jsonb;
      begin
        if not exists (select 1 from webhook_endpoints where enabled) then return null; end if;
        select jsonb_build_object('user', ${USER_JSON}, 'percent', new.quota_warned_percent) into payload from users u where u.id = new.id;
        if payload is not null then perform roster_webhook_fanout(array['quota.warning'], now(), payload); end if;
        return null;
      end $$`);
    this.addSql(`create constraint trigger users_quota_webhooks after update of quota_warned_percent on users deferrable initially deferred
      for each row when (old.quota_warned_percent < 90 and new.quota_warned_percent >= 90) execute function roster_webhook_quota()`);
  }
}
