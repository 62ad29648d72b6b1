import { describe, expect, it } from 'vitest';
import { auditHref, dayAfter, describeDetails, parseAuditView } from './audit-query.ts';

describe('audit page view', () => {
  it('reads filters from the URL, dropping junk, and writes them back', () => {
    const view = parseAuditView(new URLSearchParams('page=3&targetId=abc&action=user.&from=2027-01-01&to=nope&extra=1'));
    expect(view).toEqual({ page: 3, actorId: '', targetId: 'abc', action: 'user.', from: '2027-01-01', to: '' });
    expect(auditHref(view, { page: 1 })).toBe('?targetId=abc&action=user.&from=2027-01-01');
    expect(parseAuditView(new URLSearchParams('page=-4')).page).toBe(1);
    expect(auditHref(parseAuditView(new URLSearchParams('')))).toBe('?');
  });

  it('includes the last day of a range', () => {
    expect(dayAfter('2027-02-28')).toBe('2027-03-01T00:00:00.000Z');
  });

  it('shows a diff as before → after, other details as values', () => {
    expect(describeDetails({ before: { name: 'Ann', quotaBytes: null }, after: { name: 'Anna', quotaBytes: 1024 } })).toEqual([
      { label: 'name', before: 'Ann', after: 'Anna' },
      { label: 'quotaBytes', before: '—', after: '1024' },
    ]);
    expect(describeDetails({ reason: 'spam', until: null })).toEqual([
      { label: 'reason', value: 'spam' },
      { label: 'until', value: '—' },
    ]);
  });
});
