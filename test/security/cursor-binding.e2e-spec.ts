import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Response } from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';
import { bearer, buildWorld, makers, World } from './world';

/**
 * A list's cursor is read back only by the list (and filters) that issued it. A signed cursor of
 * one list sent to another used to reach the other's keyset condition: a 500 where PostgreSQL
 * could not read one list's sort values as the other's (a name as a date, a code as a uuid), and
 * silently wrong pages where it could. Every list endpoint is here, and the OpenAPI document is
 * checked against this table, so a new list cannot be left out.
 */
interface ListEntry {
  /** The list's first page, as admin asks it (limit=1 is appended). */
  path: (w: World) => string;
  /** Makes at least two rows of the list visible to admin. */
  fill: (w: World) => Promise<void>;
  /** The same list asked with other filters or path parameters, which its cursors must not cross into. */
  other?: (w: World) => string;
}

const V1 = '/api/v1';
const twice = async (make: () => Promise<unknown>) => {
  await make();
  await make();
};

const LISTS: Record<string, ListEntry> = {
  'GET /api/v1/users': { path: () => `${V1}/users`, fill: async () => undefined, other: () => `${V1}/users?role=country_staff` },
  'GET /api/v1/api-keys': { path: () => `${V1}/api-keys`, fill: (w) => twice(() => makers.apiKey(w, w.places.A1, w.callers[0], 'A1')) },
  'GET /api/v1/countries': { path: () => `${V1}/countries`, fill: (w) => twice(() => makers.country(w, w.places.A1, w.callers[0], 'A1')) },
  'GET /api/v1/networks': { path: () => `${V1}/networks`, fill: async () => undefined, other: () => `${V1}/networks?countryCode=NP` },
  'GET /api/v1/networks/{id}/links': {
    path: (w) => `${V1}/networks/${w.places.A1.networkId}/links`,
    fill: (w) => twice(() => makers.link(w, w.places.A1, w.callers[0], 'A1')),
    other: (w) => `${V1}/networks/${w.places.A2.networkId}/links`,
  },
  'GET /api/v1/partners': { path: () => `${V1}/partners`, fill: async () => undefined },
  'GET /api/v1/participants': {
    path: () => `${V1}/participants`,
    fill: (w) => twice(() => makers.participant(w, w.places.A1, w.callers[0], 'A1')),
    other: () => `${V1}/participants?countryCode=NP`,
  },
  'GET /api/v1/police-partners': { path: () => `${V1}/police-partners`, fill: (w) => twice(() => makers.policePartner(w, w.places.A1, w.callers[0], 'A1')) },
  'GET /api/v1/sessions': {
    path: () => `${V1}/sessions`,
    fill: (w) => twice(() => makers.session(w, w.places.A1, w.callers[0], 'A1')),
    other: (w) => `${V1}/sessions?networkId=${w.places.A1.networkId}`,
  },
  'GET /api/v1/action-points': {
    path: (w) => `${V1}/action-points?networkId=${w.places.A1.networkId}`,
    fill: async () => undefined, // the sessions above have one action point each
    other: (w) => `${V1}/action-points?networkId=${w.places.A1.networkId}&status=open`,
  },
  'GET /api/v1/disputes': {
    path: () => `${V1}/disputes`,
    fill: (w) => twice(() => makers.dispute(w, w.places.A1, w.callers[0], 'A1')),
    other: () => `${V1}/disputes?countryCode=NP`,
  },
  'GET /api/v1/early-warnings': { path: () => `${V1}/early-warnings`, fill: (w) => twice(() => makers.earlyWarning(w, w.places.A1, w.callers[0], 'A1')) },
  'GET /api/v1/indicator-values': { path: () => `${V1}/indicator-values`, fill: (w) => twice(() => makers.indicatorValue(w, w.places.A1, w.callers[0], 'A1')) },
  'GET /api/v1/notifications': {
    path: () => `${V1}/notifications`,
    // admin is callers[0]: its own notifications.
    fill: (w) => twice(() => makers.notification(w, w.places.A1, w.callers[0], 'A1')),
    other: () => `${V1}/notifications?unreadOnly=true`,
  },
  'GET /api/v1/initiatives': { path: () => `${V1}/initiatives`, fill: (w) => twice(() => makers.initiative(w, w.places.A1, w.callers[0], 'A1')) },
  'GET /api/v1/audit-events': { path: () => `${V1}/audit-events`, fill: async () => undefined, other: () => `${V1}/audit-events?entity=session` },
  'GET /api/v1/learning-summaries': {
    path: () => `${V1}/learning-summaries`,
    fill: async (w) => {
      const run = await makers.summaryRun(w, w.places.A1, w.callers[0], 'A1');
      for (const country of ['NP', 'IQ']) {
        await w.t.db.query(
          `INSERT INTO learning_summaries (id, period, period_from, period_to, country_code, content, run_id, computed_at)
           VALUES ($1, '2016', '2016-01-01', '2016-12-31', $2, '{}', $3, now())`,
          [randomUUID(), country, run.id],
        );
      }
    },
    other: () => `${V1}/learning-summaries?countryCode=NP`,
  },
};

const withQuery = (path: string, query: string) => `${path}${path.includes('?') ? '&' : '?'}${query}`;

describe('list cursors are bound to the list and filters that issued them', () => {
  let t: TestApp;
  let w: World;
  const cursors = new Map<string, string>();
  const get = (path: string): Promise<Response> => t.http.get(path).set(bearer(w.admin));

  before(async () => {
    t = await startTestApp();
    w = await buildWorld(t);
    for (const entry of Object.values(LISTS)) await entry.fill(w);
    for (const [name, entry] of Object.entries(LISTS)) {
      const res = await get(withQuery(entry.path(w), 'limit=1'));
      assert.equal(res.status, 200, `${name}: ${res.status} ${JSON.stringify(res.body)}`);
      assert.ok(res.body.nextCursor, `${name} issues a cursor`);
      cursors.set(name, res.body.nextCursor);
    }
  });
  after(() => t.close());

  it('covers every list endpoint of the API (every GET with a cursor parameter in the OpenAPI document)', async () => {
    const doc = (await t.http.get('/docs/openapi.json')).body as { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> };
    const lists = Object.entries(doc.paths)
      .filter(([, ops]) => ops.get?.parameters?.some((p) => p.name === 'cursor' && p.in === 'query'))
      .map(([path]) => `GET ${path}`)
      .sort();
    assert.deepEqual(lists, Object.keys(LISTS).sort());
  });

  it('reads its own cursors back (the refusals below are not a list refusing every cursor)', async () => {
    for (const [name, entry] of Object.entries(LISTS)) {
      const res = await get(withQuery(entry.path(w), `limit=1&cursor=${cursors.get(name)}`));
      assert.equal(res.status, 200, `${name}: ${res.status} ${JSON.stringify(res.body)}`);
    }
  });

  it('answers a cursor of any other list with a 400 validation problem on `cursor`, never a 500 or a page', async () => {
    const wrong: string[] = [];
    let tried = 0;
    for (const [target, entry] of Object.entries(LISTS)) {
      for (const [donor, cursor] of cursors) {
        if (donor === target) continue;
        tried++;
        const res = await get(withQuery(entry.path(w), `limit=1&cursor=${cursor}`));
        const ok = res.status === 400 && res.body.type === 'urn:jsd:problem:validation' && res.body.errors?.[0]?.field === 'cursor';
        if (!ok) wrong.push(`${donor} → ${target}: ${res.status}`);
      }
    }
    console.log(`# ${tried} cursors sent to a list that did not issue them`);
    assert.deepEqual(wrong, []);
  });

  it('answers a list\'s own cursor with other filters or another path parameter with the same 400', async () => {
    const wrong: string[] = [];
    for (const [name, entry] of Object.entries(LISTS)) {
      if (!entry.other) continue;
      const res = await get(withQuery(entry.other(w), `limit=1&cursor=${cursors.get(name)}`));
      if (!(res.status === 400 && res.body.errors?.[0]?.field === 'cursor')) wrong.push(`${name} as ${entry.other(w)}: ${res.status}`);
    }
    assert.deepEqual(wrong, []);
  });
});
