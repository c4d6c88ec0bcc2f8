/**
 * A brand origin acts only for its own site: a page of site "other" cannot sign operators of the
 * demo site in, or start chats on the demo site, through the visitor's or operator's browser —
 * refused before anything happens (no session, no counted sign-in attempt, no conversation).
 */
import { describe, expect, it } from 'vitest';
import { demoSite } from '../sites/index.js';
import { harness, PASSWORD } from '../test/harness.js';

const OTHER_BRAND = 'http://other-brand.example';

async function twoSites() {
  const other = { ...demoSite(8080), id: 'other', title: 'Other Brand', brandOrigins: [OTHER_BRAND], operators: [] };
  return harness({ otherSites: [other] });
}

describe('brand origins per site', () => {
  it("refuses a sign-in to the demo site from the other site's brand origin before checking anything", async () => {
    const h = await twoSites();
    const res = await h.request('/v1/sessions', {
      headers: { Origin: OTHER_BRAND },
      body: { siteId: 'demo', username: 'alice', password: PASSWORD },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'ORIGIN_NOT_ALLOWED' } });
    expect(await h.get('SELECT COUNT(*) AS n FROM sessions')).toEqual({ n: 0 });
    expect(await h.get("SELECT failed_logins AS n FROM operators WHERE username = 'alice'")).toEqual({ n: 0 });
  });

  it("refuses to start a chat on the demo site from the other site's brand origin, storing nothing", async () => {
    const h = await twoSites();
    const res = await h.request('/v1/conversations', {
      headers: { Origin: OTHER_BRAND },
      body: { siteId: 'demo', visitorName: 'Vera Visitor' },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'ORIGIN_NOT_ALLOWED' } });
    expect(await h.get('SELECT COUNT(*) AS n FROM conversations')).toEqual({ n: 0 });
    const own = await h.request('/v1/conversations', {
      headers: { Origin: OTHER_BRAND },
      body: { siteId: 'other', visitorName: 'Vera Visitor' },
    });
    expect(own.status).toBe(201);
  });
});
