import { Migration } from '@mikro-orm/migrations';

/**
 * A skip index for searches sorted by name or email (issue 10). A broad term
 * matches users that sit together in those orders (every "Olivia" among the
 * O's), so walking the sort index reaches them late and taking every match
 * through the gram index costs a table row per match.
 *
 * user_search_blocks cuts each order into blocks of about a thousand users:
 * a block holds the users from its lower bound (lo_key, lo_id) up to the
 * next block's, and `grams` is a superset of roster_search_grams over them,
 * so a block whose grams lack one of a term's keys holds no match. A search
 * reads the candidate blocks in order through the GIN index below, then
 * only their entries of the sort index (search-blocks.ts in core).
 *
 * A block is dirty, always a candidate and read whole, while its grams are
 * null (never computed) or user_search_block_marks names it. Writes only
 * ever add marks (a new name or email marks the block it lands in; a
 * departed one leaves a superset behind), so a search never misses a user
 * whatever the refresh job has done yet. Marks are inserted, never updated:
 * two open transactions that add users to the same block never wait for
 * each other (the import keeps two open and commits them in order; a row
 * lock between them would stall it for good).
 *
 * The refresh (roster_search_blocks_refresh, the worker's search.blocks
 * job) splits a dirty block over 2 × target users into blocks of target
 * users with no grams yet, else recomputes its grams, and clears its marks.
 * It takes SHARE ROW EXCLUSIVE on user_search_blocks with NOWAIT: it runs
 * only when no write that marks blocks is in flight (those hold ROW
 * EXCLUSIVE until they commit, taken in a statement before the one that
 * reads the blocks), so every mark and user it can miss is added after it,
 * to the blocks it leaves; and it never queues in front of a write.
 *
 * One dirty block per order to begin with: an existing database gets its
 * blocks from the job, searching as before until then.
 */
export class Migration0026SearchBlocks extends Migration {
  override up(): void {
    this.addSql(`create table user_search_blocks (
      sort text not null check (sort in ('name', 'email')),
      lo_key text not null,
      lo_id uuid not null,
      grams text[],
      primary key (sort, lo_key, lo_id))`);
    // Without the pending list: blocks change only when refreshed, and every search would read the list whole.
    this.addSql(`create index user_search_blocks_grams on user_search_blocks using gin (grams) with (fastupdate = off)`);
    this.addSql(`create index user_search_blocks_dirty on user_search_blocks (sort, lo_key, lo_id) where grams is null`);
    this.addSql(`create table user_search_block_marks (sort text not null, lo_key text not null, lo_id uuid not null)`);
    this.addSql(`create index user_search_block_marks_block on user_search_block_marks (sort, lo_key, lo_id)`);
    // '' and the nil uuid sort before every (key, id): every user falls in a block.
    this.addSql(`insert into user_search_blocks (sort, lo_key, lo_id) values
      ('name', '', '00000000-0000-0000-0000-000000000000'), ('email', '', '00000000-0000-0000-0000-000000000000')`);

    // The candidate blocks after a cursor, in order, each with the next block's lower bound (its upper one).
    // Those whose grams hold the keys come through the gram index only: testing a block's grams outside it
    // reads all of them, which the planner does not count (it took a sequential scan, or the primary key for
    // the sort condition). So the sequential scan is off and "offset 0" keeps the sort condition out of the
    // scan, leaving the gram index as the one index that scan can use.
    this.addSql(`create function roster_search_block_candidates(p_sort text, p_keys text[], p_desc boolean, p_after_key text, p_after_id uuid, p_n int)
      returns table (lo_key text, lo_id uuid, dirty boolean, hk text, hi uuid) language plpgsql stable set enable_seqscan = off as $$
      begin
        return query
          with c as (select any_block.lo_key, any_block.lo_id, bool_or(any_block.dirty) as dirty from (
                       select b.lo_key, b.lo_id, true as dirty from user_search_blocks b where b.sort = p_sort and b.grams is null
                       union all
                       select m.lo_key, m.lo_id, true from user_search_block_marks m where m.sort = p_sort
                       union all
                       select b.lo_key, b.lo_id, false from (select x.sort, x.lo_key, x.lo_id from user_search_blocks x where x.grams @> p_keys offset 0) as b
                        where b.sort = p_sort) as any_block
                     group by any_block.lo_key, any_block.lo_id),
               after as (select * from c where p_after_key is null
                            or (not p_desc and (c.lo_key, c.lo_id) > (p_after_key, p_after_id))
                            or (p_desc and (c.lo_key, c.lo_id) < (p_after_key, p_after_id))),
               picked as (select after.*, row_number() over (order by case when p_desc then null else after.lo_key end,
                                            case when p_desc then null else after.lo_id end, after.lo_key desc, after.lo_id desc) as rn
                            from after order by rn limit p_n)
          select p.lo_key, p.lo_id, p.dirty, h.lo_key, h.lo_id from picked p
            left join lateral (select n.lo_key, n.lo_id from user_search_blocks n where n.sort = p_sort and (n.lo_key, n.lo_id) > (p.lo_key, p.lo_id)
                                order by n.lo_key, n.lo_id limit 1) as h on true
           order by p.rn;
      end $$`);

    // Marks dirty the blocks that rows with these keys land in (a statement's new rows, or one updated row).
    this.addSql(`create function roster_search_blocks_mark(sorts text[], keys text[], ids uuid[]) returns void language plpgsql as $$
      begin
        lock table user_search_blocks in row exclusive mode;
        insert into user_search_block_marks (sort, lo_key, lo_id)
          select distinct r.sort, x.lo_key, x.lo_id
            from unnest(sorts, keys, ids) as r(sort, k, id)
            cross join lateral (select lo_key, lo_id, grams is null as dirty from user_search_blocks x
                                 where x.sort = r.sort and (x.lo_key, x.lo_id) <= (r.k, r.id)
                                 order by x.lo_key desc, x.lo_id desc limit 1) x
           where not x.dirty
             and not exists (select 1 from user_search_block_marks m where m.sort = r.sort and m.lo_key = x.lo_key and m.lo_id = x.lo_id);
      end $$`);
    this.addSql(`create function roster_search_blocks_inserted() returns trigger language plpgsql as $$
      begin
        perform roster_search_blocks_mark(array_agg('name'::text) || array_agg('email'::text), array_agg(name) || array_agg(email), array_agg(id) || array_agg(id))
           from roster_inserted_users;
        return null;
      end $$`);
    this.addSql(`create trigger users_search_blocks_insert after insert on users
      referencing new table as roster_inserted_users for each statement execute function roster_search_blocks_inserted()`);
    this.addSql(`create function roster_search_blocks_updated() returns trigger language plpgsql as $$
      begin
        perform roster_search_blocks_mark(array['name', 'email'], array[new.name, new.email], array[new.id, new.id]);
        return null;
      end $$`);
    this.addSql(`create trigger users_search_blocks_update after update of name, email on users for each row
      when (old.name is distinct from new.name or old.email is distinct from new.email) execute function roster_search_blocks_updated()`);

    // Refreshes the first dirty block of an order: returns 0 when none is left, else the blocks it wrote;
    // fails with lock_not_available (55P03) while a write that marks blocks is in flight.
    // Without parallel workers: starting them cost more than reading a block.
    this.addSql(`create function roster_search_blocks_refresh(p_sort text, p_target int) returns int language plpgsql
      set max_parallel_workers_per_gather = 0 as $$
      declare lo_k text; lo_i uuid; hi_k text; hi_i uuid; n int; range text;
      begin
        if p_sort not in ('name', 'email') then raise exception 'unknown sort %', p_sort; end if;
        lock table user_search_blocks in share row exclusive mode nowait;
        select b.lo_key, b.lo_id into lo_k, lo_i from user_search_blocks b
         where b.sort = p_sort and (b.grams is null or exists (select 1 from user_search_block_marks m
                                                               where m.sort = b.sort and m.lo_key = b.lo_key and m.lo_id = b.lo_id))
         order by b.lo_key, b.lo_id limit 1;
        if not found then return 0; end if;
        delete from user_search_block_marks where sort = p_sort and lo_key = lo_k and lo_id = lo_i;
        select lo_key, lo_id into hi_k, hi_i from user_search_blocks
         where sort = p_sort and (lo_key, lo_id) > (lo_k, lo_i) order by lo_key, lo_id limit 1;
        range := format('(%1$I, id) >= ($1, $2)', p_sort) || case when hi_k is null then '' else format(' and (%1$I, id) < ($3, $4)', p_sort) end;
        execute format('select count(*) from users where %s', range) into n using lo_k, lo_i, hi_k, hi_i;
        if n > 2 * p_target then
          execute format('insert into user_search_blocks (sort, lo_key, lo_id)
                          select $5, k, id from (select %1$I as k, id, row_number() over (order by %1$I, id) - 1 as i from users where %2$s) s
                           where i > 0 and i %% $6 = 0', p_sort, range)
            using lo_k, lo_i, hi_k, hi_i, p_sort, p_target;
          update user_search_blocks set grams = null where sort = p_sort and lo_key = lo_k and lo_id = lo_i;
          return 1 + (n - 1) / p_target;
        end if;
        execute format('update user_search_blocks set grams = (select coalesce(array_agg(distinct g), ''{}'')
                          from users, unnest(roster_search_grams(search_text)) as g where %s)
                         where sort = $5 and lo_key = $1 and lo_id = $2', range)
          using lo_k, lo_i, hi_k, hi_i, p_sort;
        return 1;
      end $$`);
  }
}
