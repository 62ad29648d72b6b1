import { describe, expect, it } from 'vitest';
import { buildCatalogue } from './catalogue.ts';
import { effectiveValues, permissionMap, resolvePermissions, type ResolveInput } from './resolve.ts';

const catalogue = buildCatalogue([
  { key: 'app.a', area: 'app', label: 'A', default: false },
  { key: 'app.b', area: 'app', label: 'B', default: true },
]);
const g = (id: string, grants: string[], denies: string[] = []) => ({ id, name: id.toUpperCase(), grants, denies });
/** Both ways of resolving, which must agree: with sources (user page) and values alone (enforcement). */
const resolve = (over: Partial<ResolveInput>) => {
  const input: ResolveInput = { role: 'user', active: true, defaults: {}, groups: [], ...over };
  const withSources = permissionMap(resolvePermissions(catalogue, input));
  const values = effectiveValues(catalogue, { ...input, grants: input.groups.flatMap((g) => g.grants), denies: input.groups.flatMap((g) => g.denies) });
  expect(values).toEqual(withSources);
  return withSources;
};

describe('resolvePermissions', () => {
  it('is the catalogue default, overridden by the template', () => {
    expect(resolve({})).toMatchObject({ 'app.a': false, 'app.b': true, 'files.upload': true });
    expect(resolve({ defaults: { 'app.a': true, 'files.upload': false, 'gone.key': true } })).toMatchObject({ 'app.a': true, 'files.upload': false });
    expect(resolve({ defaults: { 'gone.key': true } })).not.toHaveProperty('gone.key');
  });

  it('adds every group grant (union)', () => {
    expect(resolve({ defaults: { 'files.upload': false }, groups: [g('x', ['app.a']), g('y', ['files.upload'])] })).toMatchObject({
      'app.a': true,
      'files.upload': true,
    });
  });

  it('lets any deny win over grants and the template', () => {
    const r = resolve({ groups: [g('x', ['app.a']), g('y', [], ['app.a', 'app.b'])] });
    expect(r).toMatchObject({ 'app.a': false, 'app.b': false, 'files.upload': true });
  });

  it('gives owner and admins everything and inactive accounts nothing', () => {
    for (const role of ['owner', 'admin'] as const) expect(Object.values(resolve({ role, groups: [g('y', [], ['app.b'])] })).every(Boolean)).toBe(true);
    expect(Object.values(resolve({ active: false })).some(Boolean)).toBe(false);
    expect(Object.values(resolve({ role: 'pending' })).some(Boolean)).toBe(false);
  });

  it('says where each value comes from', () => {
    const r = resolvePermissions(catalogue, { role: 'user', active: true, defaults: {}, groups: [g('x', ['app.a']), g('y', [], ['app.b']), g('z', ['app.a'])] });
    expect(r.find((p) => p.key === 'app.a')).toMatchObject({ allowed: true, defaultValue: false, source: { kind: 'group', groups: [{ id: 'x', name: 'X' }, { id: 'z', name: 'Z' }] } });
    expect(r.find((p) => p.key === 'app.b')).toMatchObject({ allowed: false, defaultValue: true, source: { kind: 'denied', groups: [{ id: 'y', name: 'Y' }] } });
    expect(r.find((p) => p.key === 'files.upload')).toMatchObject({ allowed: true, source: { kind: 'default' } });
  });
});
