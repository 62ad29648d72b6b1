import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { metricsAccess } from '../src/http/metrics.ts';
import { loggedPath, procedureLabel } from '../src/http/observe.ts';

const TOKEN = 'metrics-token-0123456789';
const req = (authorization?: string) => ({ headers: authorization ? { authorization } : {} }) as IncomingMessage;
const from = (address: string | null) => () => address;

describe('metricsAccess: loopback, or the metrics token', () => {
  it.each(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])('lets loopback %s in without a token, token set or not', (address) => {
    expect(metricsAccess(req(), undefined, from(address))).toBe('ok');
    expect(metricsAccess(req(), TOKEN, from(address))).toBe('ok');
  });

  it.each(['10.0.0.5', '192.168.1.2', '203.0.113.7', '::ffff:10.0.0.1', 'fe80::1'])('refuses %s without a configured token (403)', (address) => {
    expect(metricsAccess(req(`Bearer ${TOKEN}`), undefined, from(address))).toBe('forbidden');
  });

  it('asks a non-loopback client for the token (401), and takes only the exact one', () => {
    const remote = from('203.0.113.7');
    expect(metricsAccess(req(), TOKEN, remote)).toBe('unauthorized');
    expect(metricsAccess(req(`Bearer ${TOKEN}x`), TOKEN, remote)).toBe('unauthorized');
    expect(metricsAccess(req(`Basic ${TOKEN}`), TOKEN, remote)).toBe('unauthorized');
    expect(metricsAccess(req(TOKEN), TOKEN, remote)).toBe('unauthorized');
    expect(metricsAccess(req(`Bearer ${TOKEN}`), TOKEN, remote)).toBe('ok');
  });

  it('treats an unknown address (a declared proxy header missing) as remote', () => {
    expect(metricsAccess(req(), TOKEN, from(null))).toBe('unauthorized');
    expect(metricsAccess(req(), undefined, from(null))).toBe('forbidden');
  });
});

describe('request labels and logged paths', () => {
  it('labels a request from a bounded set, never the raw path', () => {
    expect(procedureLabel('/api/trpc/auth.me?input=%7B%7D')).toBe('auth.me');
    expect(procedureLabel('/api/trpc/no.such.thing')).toBe('unknown');
    expect(procedureLabel('/api/trpc/auth.me,setup.status?batch=1')).toBe('batch');
    expect(procedureLabel('/metrics')).toBe('/metrics');
    expect(procedureLabel('/_app/immutable/x.js')).toBe('asset');
    expect(procedureLabel('/api/files/abc')).toBe('files');
    expect(procedureLabel('/admin/users?q=x')).toBe('page');
  });

  it('logs paths without query or link tokens', () => {
    expect(loggedPath('/setup?token=secret')).toBe('/setup');
    expect(loggedPath('/reset/abcdef123?x=1')).toBe('/reset/[redacted]');
    expect(loggedPath('/invite/abcdef123/')).toBe('/invite/[redacted]/');
    expect(loggedPath('/admin/users/123')).toBe('/admin/users/123');
  });
});
