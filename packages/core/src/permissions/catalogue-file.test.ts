import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPermissionCatalogue, PermissionsFileError } from './catalogue-file.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-perms-'));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
};
const errorOf = (p: string) => {
  try {
    loadPermissionCatalogue(p);
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the file to be refused');
};

describe('ROSTER_PERMISSIONS_FILE', () => {
  it("adds the organisation's keys, namespaced, after Roster's", () => {
    const c = loadPermissionCatalogue(file('ok.json', JSON.stringify({ wiki: { 'pages.edit': true, 'pages.delete': { default: false, label: 'Delete pages' } } })));
    expect(c.byKey.get('files.upload')).toMatchObject({ default: true });
    expect(c.byKey.get('wiki.pages.edit')).toEqual({ key: 'wiki.pages.edit', area: 'wiki', label: 'wiki.pages.edit', default: true });
    expect(c.byKey.get('wiki.pages.delete')).toEqual({ key: 'wiki.pages.delete', area: 'wiki', label: 'Delete pages', default: false });
  });

  it("is Roster's catalogue alone when unset", () => {
    expect(loadPermissionCatalogue(undefined).entries.map((e) => e.key)).toEqual([
      'files.upload', 'files.download', 'profile.editName', 'profile.editAvatar', 'users.search', 'apiKeys.create',
    ]);
  });

  it.each([
    ['missing', path.join(dir, 'nope.json'), /cannot read it \(ENOENT\)/],
    ['not JSON', file('bad.json', '{wiki: true'), /not JSON/],
    ['a default that is not a boolean', file('type.json', JSON.stringify({ wiki: { edit: 'yes' } })), /wiki → edit/],
    ["Roster's own namespace", file('ns.json', JSON.stringify({ files: { share: true } })), /files: this namespace belongs to Roster/],
    ['a bad key', file('key.json', JSON.stringify({ wiki: { 'has space': true } })), /wiki → has space/],
    ['an unknown field', file('field.json', JSON.stringify({ wiki: { edit: { default: true, colour: 'red' } } })), /wiki → edit/],
  ])('refuses %s with the file and the reason', (_, p, reason) => {
    const err = errorOf(p);
    expect(err).toBeInstanceOf(PermissionsFileError);
    expect(err.message).toContain(`ROSTER_PERMISSIONS_FILE (${p}) is not valid`);
    expect(err.message).toMatch(reason);
  });
});
