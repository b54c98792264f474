import { describe, expect, it } from 'vitest';
import { LOGIN_URLS, loginUrlFor, loopbackAllowed, parseMyDomain, salesforceOriginOf } from '@/lib/salesforce/hosts';

describe('the My Domain a rep types', () => {
  it.each([
    ['acme.my.salesforce.com', 'https://acme.my.salesforce.com'],
    ['  https://acme.my.salesforce.com/  ', 'https://acme.my.salesforce.com'],
    ['https://ACME.My.Salesforce.com/home/home.jsp?x=1#top', 'https://acme.my.salesforce.com'],
    ['https://acme--uat.sandbox.my.salesforce.com', 'https://acme--uat.sandbox.my.salesforce.com'],
    ['https://acme.lightning.force.com/lightning/page/home', 'https://acme.my.salesforce.com'],
    ['acme--uat.sandbox.lightning.force.com', 'https://acme--uat.sandbox.my.salesforce.com'],
    ['https://acme.my.salesforce-setup.com/lightning/setup/SetupOneHome/home', 'https://acme.my.salesforce.com'],
    ['https://acme.my.salesforce.com./', 'https://acme.my.salesforce.com'],
    ['https://login.salesforce.com', 'https://login.salesforce.com'],
  ])('reads %j as %s', (typed, origin) => {
    expect(parseMyDomain(typed, { allowLoopback: false })).toEqual({ ok: true, origin });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['http://acme.my.salesforce.com', 'notHttps'],
    ['javascript:alert(1)', 'notUrl'],
    ['data:text/html,hi', 'notUrl'],
    ['ftp://acme.my.salesforce.com', 'notUrl'],
    ['https://acme.my.salesforce.com evil', 'notUrl'],
    ['https://evil.example/acme.my.salesforce.com', 'notMyDomain'],
    ['https://acme.my.salesforce.com.evil.example', 'notMyDomain'],
    ['https://evil.example/.my.salesforce.com', 'notMyDomain'],
    ['https://my.salesforce.com', 'notMyDomain'],
    ['https://salesforce.com', 'notMyDomain'],
    ['https://evilsalesforce.com', 'notMyDomain'],
    ['https://acme.salesforce.com.evil.example/', 'notMyDomain'],
    ['https://na1.salesforce.com', 'notMyDomain'],
    ['https://acme.my.salesforce.com@evil.example', 'hasCredentials'],
    ['https://user:pw@acme.my.salesforce.com', 'hasCredentials'],
    ['https://acme.my.salesforce.com:8443', 'hasPort'],
    ['https://-acme.my.salesforce.com', 'notMyDomain'],
    ['https://acme_1.my.salesforce.com', 'notMyDomain'],
    ['http://127.0.0.1:8080', 'notHttps'],
    ['http://localhost:1234', 'notHttps'],
  ])('refuses %j (%s)', (typed, problem) => {
    expect(parseMyDomain(typed, { allowLoopback: false })).toEqual({ ok: false, problem });
  });

  it('accepts the emulator on loopback only where loopback is allowed', () => {
    expect(parseMyDomain('http://127.0.0.1:5123/', { allowLoopback: true })).toEqual({ ok: true, origin: 'http://127.0.0.1:5123' });
    expect(parseMyDomain('http://localhost:5123', { allowLoopback: true })).toEqual({ ok: true, origin: 'http://localhost:5123' });
    expect(parseMyDomain('http://user@127.0.0.1:5123', { allowLoopback: true })).toEqual({ ok: false, problem: 'hasCredentials' });
    expect(parseMyDomain('http://10.0.0.1:5123', { allowLoopback: true })).toEqual({ ok: false, problem: 'notHttps' });
  });

  it('does not allow loopback in this (test) build, as in production', () => {
    expect(loopbackAllowed()).toBe(false);
    expect(parseMyDomain('http://127.0.0.1:5123').ok).toBe(false);
  });
});

describe('the login URL of each environment', () => {
  it('uses Salesforce login hosts for production and sandbox, whatever the My Domain field holds', () => {
    expect(loginUrlFor('production', 'garbage')).toEqual({ ok: true, loginUrl: LOGIN_URLS.production });
    expect(loginUrlFor('sandbox', '')).toEqual({ ok: true, loginUrl: 'https://test.salesforce.com' });
  });

  it('uses the validated My Domain for a custom domain', () => {
    expect(loginUrlFor('custom', ' acme.my.salesforce.com ')).toEqual({ ok: true, loginUrl: 'https://acme.my.salesforce.com' });
    expect(loginUrlFor('custom', '')).toEqual({ ok: false, problem: 'empty' });
  });
});

describe('the instance URL a token answer names', () => {
  it.each([
    ['https://acme.my.salesforce.com', 'https://acme.my.salesforce.com'],
    ['https://na123.salesforce.com/', 'https://na123.salesforce.com'],
  ])('trusts %s', (url, origin) => {
    expect(salesforceOriginOf(url, { allowLoopback: false })).toBe(origin);
  });

  it.each([
    'https://evil.example',
    'http://acme.my.salesforce.com',
    'https://acme.my.salesforce.com:444',
    'https://x@acme.my.salesforce.com',
    'https://salesforce.com.evil.example',
    'http://127.0.0.1:5000',
    42,
    undefined,
    'not a url',
  ])('refuses %j', (url) => {
    expect(salesforceOriginOf(url, { allowLoopback: false })).toBeNull();
  });
});

describe('the salesforceMyDomain setting', () => {
  it('accepts only what the Connection tab would connect to', async () => {
    const { parseSetting } = await import('@/lib/settings');
    expect(parseSetting('salesforceMyDomain', ' https://acme.my.salesforce.com ')).toEqual({
      ok: true,
      value: 'https://acme.my.salesforce.com',
    });
    expect(parseSetting('salesforceMyDomain', '')).toEqual({ ok: true, value: '' });
    expect(parseSetting('salesforceMyDomain', 'https://evil.example')).toEqual({ ok: false, problem: 'badUrl' });
    expect(parseSetting('salesforceMyDomain', 'http://acme.my.salesforce.com')).toEqual({ ok: false, problem: 'badUrl' });
  });
});
