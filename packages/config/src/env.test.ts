import { describe, expect, it } from 'vitest';
import { loadEnv, parseBytes, webNodeFlags } from './index.ts';

describe('ROSTER_BODY_LIMIT', () => {
  it('defaults to 1 MiB', () => {
    expect(loadEnv({}).ROSTER_BODY_LIMIT).toBe(1024 * 1024);
  });

  it('takes bytes or a K/M/G size', () => {
    expect(loadEnv({ ROSTER_BODY_LIMIT: '2048' }).ROSTER_BODY_LIMIT).toBe(2048);
    expect(loadEnv({ ROSTER_BODY_LIMIT: '512K' }).ROSTER_BODY_LIMIT).toBe(512 * 1024);
    expect(loadEnv({ ROSTER_BODY_LIMIT: '2m' }).ROSTER_BODY_LIMIT).toBe(2 * 1024 ** 2);
    expect(parseBytes('1GiB')).toBe(1024 ** 3);
  });

  it.each(['Infinity', 'lots', '-1', '1.5M', '100', '2G'])('refuses %s with the variable named', (v) => {
    expect(() => loadEnv({ ROSTER_BODY_LIMIT: v })).toThrow(/ROSTER_BODY_LIMIT: give a size between 1K and 1G/);
  });
});

describe('ROSTER_WEB_HEAP_MIB', () => {
  it('caps the web heap at 256 MiB unless set', () => {
    expect(webNodeFlags(loadEnv({}))).toEqual(['--max-old-space-size=256', '--experimental-async-context-frame']);
    expect(webNodeFlags(loadEnv({ ROSTER_WEB_HEAP_MIB: '512' }))).toEqual(['--max-old-space-size=512', '--experimental-async-context-frame']);
  });

  it.each(['32', 'lots', '1.5'])('refuses %s', (v) => {
    expect(() => loadEnv({ ROSTER_WEB_HEAP_MIB: v })).toThrow(/ROSTER_WEB_HEAP_MIB/);
  });
});
