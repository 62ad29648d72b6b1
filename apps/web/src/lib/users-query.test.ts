import { describe, expect, it } from 'vitest';
import { listInput, parseView, viewHref } from './users-query.ts';

describe('users view in the URL', () => {
  it('reads filters and ignores junk', () => {
    const v = parseView(new URLSearchParams('q=%20ada%20&role=admin&status=bogus&sort=usage&dir=desc&page=3'));
    expect(v).toEqual({ q: 'ada', role: 'admin', status: '', sort: 'usage', dir: 'desc', page: 3, group: '' });
    expect(parseView(new URLSearchParams('group=not-a-uuid')).group).toBe('');
    expect(parseView(new URLSearchParams('page=-2&sort=password')).page).toBe(1);
    expect(parseView(new URLSearchParams('sort=password')).sort).toBe('createdAt');
  });

  it('writes only what differs from the defaults', () => {
    const v = parseView(new URLSearchParams('q=ada&page=2'));
    expect(viewHref(v)).toBe('?q=ada&page=2');
    expect(viewHref(v, { q: 'bob', page: 1 })).toBe('?q=bob');
    expect(viewHref(parseView(new URLSearchParams()))).toBe('?');
  });

  it('maps a view to the router input', () => {
    const input = listInput(parseView(new URLSearchParams('role=user&page=2')));
    expect(input).toMatchObject({ roles: ['user'], statuses: undefined, query: undefined, groupIds: undefined, page: 2, pageSize: 25 });
    const g = '0b7c1a52-3f1e-4c2a-9d1e-5a6b7c8d9e0f';
    const inGroup = parseView(new URLSearchParams(`group=${g.toUpperCase()}&q=ada`));
    expect(listInput(inGroup).groupIds).toEqual([g]);
    expect(viewHref(inGroup, { page: 2 })).toBe(`?q=ada&group=${g}&page=2`);
  });
});
