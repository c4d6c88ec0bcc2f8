import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../paths.js';
import { describe, expect, it } from 'vitest';
import { parseSites, profilePermissions } from './index.js';
import { demoSitesText, problem, withSite } from './sites-test-support.js';

const text = demoSitesText;

describe('the sites file', () => {
  it('loads demo/server/sites.json: brand origins from PORT, forms, policy, TTLs, retention, history on', () => {
    const site = parseSites(text, { PORT: '9090' }).get('demo')!;
    expect(site.brandOrigins).toEqual(['http://localhost:9090', 'http://127.0.0.1:9090']);
    expect(site).toMatchObject({
      otkTtlSeconds: { view: 60, submit: 1800, retrieve: 60 },
      retentionMonths: 13,
      auditRetentionMonths: 12,
      historyViewing: true,
      lockoutThreshold: 3,
      passwordMinLength: 12,
      secondFactor: { agents: false },
      session: { idleTimeoutSeconds: 900 },
    });
    expect(site.forms.map((f) => f.id)).toEqual(['card-payment', 'verify-identity', 'bank-details']);
    expect(site.operators.map((o) => `${o.username}:${o.role}:${o.profile}`)).toEqual([
      'alice:agent:agent',
      'bob:agent:agent',
      'morgan:manager:history-manager',
      'max:manager:manager',
      'ada:admin:admin',
    ]);
  });

  it('gives the demo realistic forms, every text translated into Spanish, French, German and Arabic', () => {
    const site = parseSites(text, { PORT: '9090' }).get('demo')!;
    const types = (id: string) => site.forms.find((f) => f.id === id)!.fields.map((f) => f.type);
    expect(types('card-payment')).toEqual(expect.arrayContaining(['cardholder-name', 'card-number', 'expiry', 'cvv', 'text']));
    expect(types('verify-identity')).toEqual(expect.arrayContaining(['date', 'secret-answer']));
    expect(types('bank-details').length).toBeGreaterThan(1);
    for (const form of site.forms) {
      const texts = [
        form.title,
        form.description,
        ...form.fields.flatMap((f) => [f.label, f.hint, ...(f.options ?? []).map((o) => o.label)]),
      ];
      for (const t of texts.filter((x) => x !== undefined)) {
        const where = `${form.id}: ${typeof t === 'string' ? t : t.en}`;
        expect(typeof t, where).toBe('object');
        if (typeof t === 'object') expect(Object.keys(t.translations ?? {}).sort(), where).toEqual(['ar', 'de', 'es', 'fr']);
      }
    }
  });

  it('gives agents use-secure-form and managers no history viewing by default; a custom profile grants it', () => {
    const site = parseSites(
      withSite(
        (s) => void (s.profiles = { 'history-manager': { permissions: [] }, reviewer: { permissions: ['view-responses-in-history'] } }),
      ),
      { PORT: '8080' },
    ).get('demo')!;
    expect(profilePermissions(site, 'agent')).toEqual(['use-secure-form']);
    expect(profilePermissions(site, 'manager')).toEqual([]);
    expect(profilePermissions(site, 'reviewer')).toEqual(['view-responses-in-history']);
    const defaults = parseSites(
      withSite((s) => {
        delete s.historyViewing;
        delete s.secondFactor;
      }),
      { PORT: '8080' },
    ).get('demo')!;
    expect(defaults.historyViewing).toBe(false);
    // A site that says nothing asks every role for a second factor, passkey or TOTP.
    expect(defaults.secondFactor).toEqual({ agents: true, methods: ['passkey', 'totp'], passwordless: false });
  });

  it.each([
    ['lockoutThreshold', 2, /sites\.0\.lockoutThreshold: /],
    ['lockoutThreshold', 11, /sites\.0\.lockoutThreshold: /],
    ['passwordMinLength', 6, /sites\.0\.passwordMinLength: /],
    ['brandOrigins', ['http://localhost:8080/path'], /sites\.0\.brandOrigins\.0: must be an origin/],
    ['retentionMonths', 0, /sites\.0\.retentionMonths: /],
    ['auditRetentionMonths', 6, /sites\.0\.auditRetentionMonths: /],
    ['historyViewing', 'yes', /sites\.0\.historyViewing: /],
    ['unknownKey', 1, /sites\.0: .*unknownKey/],
  ])('refuses %s = %j, naming the key and why', (key, value, pattern) => {
    expect(problem(withSite((s) => void (s[key] = value)))).toMatch(pattern);
  });

  it('refuses time limits a visitor cannot adjust as WCAG 2.2.1 asks: a submit key under 2 minutes, fewer than ten extensions under 20 hours', () => {
    expect(problem(withSite((s) => void (s.otkTtlSeconds = { view: 60, submit: 1, retrieve: 60 })))).toMatch(
      /sites\.0\.otkTtlSeconds\.submit: must be at least 120 seconds.*WCAG 2\.2\.1/,
    );
    expect(problem(withSite((s) => void (s.submitExtensions = 0)))).toMatch(
      /sites\.0\.submitExtensions: must be at least 10 .*WCAG 2\.2\.1/,
    );
    expect(problem(withSite((s) => void (s.submitExtensions = 9)))).toMatch(/sites\.0\.submitExtensions: must be at least 10/);
    // A 20-hour submit key needs no extension.
    const long = withSite((s) => {
      s.otkTtlSeconds = { view: 60, submit: 72_000, retrieve: 60 };
      s.submitExtensions = 0;
    });
    expect(parseSites(long, { PORT: '8080' }).get('demo')!.submitExtensions).toBe(0);
  });

  it("refuses an agent idle timeout under a minute (the panel could not warn 20 s before, WCAG 2.2.1) or over PCI DSS 8.2.8's 15 minutes", () => {
    const idle = (seconds: number) => withSite((s) => void (s.session = { idleTimeoutSeconds: seconds, absoluteLifetimeSeconds: 43_200 }));
    expect(problem(idle(30))).toMatch(/sites\.0\.session\.idleTimeoutSeconds: must be at least 60 seconds.*WCAG 2\.2\.1/);
    expect(problem(idle(59))).toMatch(/sites\.0\.session\.idleTimeoutSeconds: must be at least 60 seconds/);
    expect(problem(idle(901))).toMatch(/sites\.0\.session\.idleTimeoutSeconds: must be at most 900 seconds.*PCI DSS 8\.2\.8/);
    expect(parseSites(idle(60), { PORT: '8080' }).get('demo')!.session.idleTimeoutSeconds).toBe(60);
  });

  it('refuses an operator with an unknown profile, and a file that is not JSON', () => {
    expect(problem(withSite((s) => void (s.operators = [{ username: 'x', displayName: 'X', role: 'agent', profile: 'ghost' }])))).toMatch(
      /sites\.0\.operators\.0\.profile: unknown profile "ghost"/,
    );
    expect(problem('{')).toMatch(/not valid JSON/);
  });

  it("refuses two operators with one external id (the brand chat server's agent id), and one with spaces", () => {
    const twice = withSite(
      (s) =>
        void (s.operators = [
          { username: 'x', displayName: 'X', role: 'agent', externalId: 'brand-1' },
          { username: 'y', displayName: 'Y', role: 'agent', externalId: 'brand-1' },
        ]),
    );
    expect(problem(twice)).toMatch(/sites\.0\.operators: external ids must be unique/);
    expect(problem(withSite((s) => void (s.operators = [{ username: 'x', displayName: 'X', role: 'agent', externalId: 'a b' }])))).toMatch(
      /sites\.0\.operators\.0\.externalId: must be 1 to 200 printable characters/,
    );
  });

  it('stops the server at start with a message naming the bad key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-sites-'));
    const file = join(dir, 'sites.json');
    writeFileSync(
      file,
      withSite((s) => void (s.lockoutThreshold = 1)),
    );
    const run = spawnSync(join(REPO_ROOT, 'node_modules/.bin/tsx'), [join(REPO_ROOT, 'demo/server/src/main.ts')], {
      env: { ...process.env, SECURE_FORMS_SITES_FILE: file, SECURE_FORMS_DATA_DIR: dir, PORT: '1', PCI_PORT: '2' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/sites\.0\.lockoutThreshold: Too small/);
  }, 25_000);
});
