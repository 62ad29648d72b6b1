import { Group, type EntityManager } from '@roster/db';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { isoDateSchema } from '../output.ts';

export const groupSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  grants: z.array(z.string()),
  denies: z.array(z.string()),
  /** Live members (an expired membership not yet removed is not counted). */
  memberCount: z.number().int(),
  createdAt: isoDateSchema,
  updatedAt: isoDateSchema,
});
export type GroupDto = z.infer<typeof groupSchema>;

export const groupMemberSchema = z.object({
  userId: z.string(),
  name: z.string(),
  /** Shown to admins; managers who are not admins see names only. */
  email: z.string().optional(),
  avatarUrl: z.string().nullable(),
  manager: z.boolean(),
  expiresAt: isoDateSchema.nullable(),
  addedAt: isoDateSchema,
});
export type GroupMemberDto = z.infer<typeof groupMemberSchema>;

/** `membersTruncated`: the group has more live members than MAX_MEMBERS_SHOWN. */
export const groupDetailSchema = groupSchema.extend({ members: z.array(groupMemberSchema), membersTruncated: z.literal(true).optional() });
export type GroupDetailDto = z.infer<typeof groupDetailSchema>;

/** What a bulk membership change did to each id it was given. */
export const MEMBER_OUTCOMES = ['added', 'updated', 'unchanged', 'removed', 'notMember', 'notFound', 'manager', 'notManager'] as const;
export type MemberOutcome = (typeof MEMBER_OUTCOMES)[number];
export const bulkMembersResultSchema = z.object({
  groupId: z.string(),
  results: z.array(z.object({ userId: z.string(), outcome: z.enum(MEMBER_OUTCOMES) })),
});
export type BulkMembersResult = z.infer<typeof bulkMembersResultSchema>;

/** A membership counts while it has no expiry or its expiry is ahead (the database's clock). */
export const LIVE = `(m.expires_at is null or m.expires_at > now())`;

type Row = {
  id: string;
  name: string;
  description: string | null;
  grants: string[];
  denies: string[];
  member_count: number;
  created_at: Date | string;
  updated_at: Date | string;
};

const iso = (d: Date | string) => new Date(d).toISOString();

export const GROUP_SQL = (where: string) => `
  select g.id, g.name, g.description, g.grants, g.denies, g.created_at, g.updated_at,
         (select count(*)::int from group_members m where m.group_id = g.id and ${LIVE}) as member_count
    from groups g ${where} order by lower(g.name), g.id`;

export const toGroupDto = (r: Row): GroupDto => ({
  id: r.id,
  name: r.name,
  description: r.description ?? null,
  grants: [...(r.grants ?? [])],
  denies: [...(r.denies ?? [])],
  memberCount: Number(r.member_count ?? 0),
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

export async function readGroup(em: EntityManager, id: string): Promise<GroupDto> {
  const [row] = await em.execute<Row[]>(GROUP_SQL('where g.id = ?'), [id]);
  if (!row) throw new AppError('GROUP_NOT_FOUND');
  return toGroupDto(row);
}

type MemberRow = { user_id: string; name: string; email: string; avatar_url: string | null; manager: boolean; expires_at: Date | string | null; added_at: Date | string };

/** Live members of a group, managers first, then by name; at most `limit`. */
export async function readMembers(em: EntityManager, groupId: string, opts: { withEmail: boolean; limit?: number }): Promise<GroupMemberDto[]> {
  const rows = await em.execute<MemberRow[]>(
    `select m.user_id, u.name, u.email, u.avatar_url, m.manager, m.expires_at, m.added_at
       from group_members m join users u on u.id = m.user_id
      where m.group_id = ? and ${LIVE}
      order by m.manager desc, lower(u.name), u.id limit ?`,
    [groupId, opts.limit ?? MAX_MEMBERS_SHOWN],
  );
  return rows.map((r) => ({
    userId: r.user_id,
    name: r.name,
    ...(opts.withEmail ? { email: r.email } : {}),
    avatarUrl: r.avatar_url ?? null,
    manager: r.manager,
    expiresAt: r.expires_at ? iso(r.expires_at) : null,
    addedAt: iso(r.added_at),
  }));
}

/** A group's detail lists up to this many members. */
export const MAX_MEMBERS_SHOWN = 5_000;

export async function findGroupOrFail(em: EntityManager, id: string): Promise<Group> {
  const group = await em.findOne(Group, id);
  if (!group) throw new AppError('GROUP_NOT_FOUND');
  return group;
}
