import { describe, expect, it } from 'vitest';
import { areaTitle, byArea, postedKeys } from './permissions.ts';

const CATALOGUE = [
  { key: 'files.upload', area: 'files', label: 'Upload files', default: true },
  { key: 'profile.editName', area: 'profile', label: 'Change their name', default: true },
  { key: 'files.download', area: 'files', label: 'Download files', default: true },
  { key: 'wiki.edit', area: 'wiki', label: 'Edit pages', default: false },
];

describe('permission catalogue on the web', () => {
  it('groups keys by area in first-seen order', () => {
    expect(byArea(CATALOGUE).map(([area, list]) => [area, list.map((e) => e.key)])).toEqual([
      ['files', ['files.upload', 'files.download']],
      ['profile', ['profile.editName']],
      ['wiki', ['wiki.edit']],
    ]);
  });

  it('names Roster areas and leaves declared namespaces as they are', () => {
    expect(areaTitle('apiKeys')).toBe('API keys');
    expect(areaTitle('wiki')).toBe('wiki');
  });

  it('keeps only catalogue keys from a posted form, once each', () => {
    const f = new FormData();
    for (const k of ['files.upload', 'no.such', 'files.upload', 'wiki.edit']) f.append('grants', k);
    expect(postedKeys(f, 'grants', CATALOGUE)).toEqual(['files.upload', 'wiki.edit']);
    expect(postedKeys(f, 'denies', CATALOGUE)).toEqual([]);
  });
});
