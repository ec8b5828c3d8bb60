import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { activeCrossCountryLinks } from '../src/insights/learning-summary.sql';
import { parsePeriod } from '../src/insights/learning-summary-period';
import { adminToken, createUser } from './support/auth';
import { insertNetwork, insertSession } from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const NOWHERE = '00000000-0000-4000-8000-0000000f00d5';

/**
 * Issue 19, item 7: linking a network to another country's network answered with that network's
 * name (so any id could be tested for existence), and the link appeared in the other country's
 * list unasked. Now country staff propose, the other country confirms or declines, an admin's
 * link is confirmed at once, and a missing id answers exactly like another country's.
 */
describe('cross-country network links: proposed, then confirmed or declined by the other country', () => {
  let t: TestApp;
  let admin: string;
  let hq: string;
  let staffNP: string;
  let staffIQ: string;
  let staffBoth: string;
  let banke: string;
  let dang: string;
  let kirkuk: string;
  let hawija: string;
  let closedIQ: string;
  let proposal: string;

  const link = (token: string, from: string, body: Record<string, unknown>) =>
    t.http.post(`/api/v1/networks/${from}/links`).set(auth(token)).send({ kind: 'peer', since: '2016-05-01', ...body });
  const links = (token: string, id: string, query = '') => t.http.get(`/api/v1/networks/${id}/links${query}`).set(auth(token));
  const decide = (token: string, path: string, linkId: string, to: string) =>
    t.http.post(`/api/v1/networks/${path}/links/${linkId}/transitions`).set(auth(token)).send({ to });
  /** The answer with the values that name a particular link or target replaced: what is left must not differ. */
  const shape = (res: { status: number; headers: Record<string, string>; body: Record<string, unknown> }) => ({
    status: res.status,
    body: JSON.parse(JSON.stringify(res.body).replaceAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>').replace(/"createdAt":"[^"]+"/, '"createdAt":"<t>"')),
    location: res.headers.location?.replaceAll(/[0-9a-f-]{36}/g, '<id>'),
  });

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    hq = (await createUser(t, admin, { role: 'hq_analyst' })).token;
    staffNP = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['NP'] })).token;
    staffIQ = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['IQ'] })).token;
    staffBoth = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['IQ', 'NP'] })).token;
    banke = await insertNetwork(t.db, { countryCode: 'NP', name: 'Banke district network' });
    dang = await insertNetwork(t.db, { countryCode: 'NP', name: 'Dang district network' });
    kirkuk = await insertNetwork(t.db, { countryCode: 'IQ', name: 'Kirkuk district network' });
    hawija = await insertNetwork(t.db, { countryCode: 'IQ', name: 'Hawija district network' });
    closedIQ = await insertNetwork(t.db, { countryCode: 'IQ', name: 'Closed Iraqi network' });
    await t.db.query('UPDATE networks SET archived_at = now() WHERE id = $1', [closedIQ]);
  });
  after(() => t.close());

  it('answers a missing id, another country\'s network and an archived one there identically: 201 proposed, no name, no country', async () => {
    const toOther = await link(staffNP, banke, { toNetworkId: kirkuk });
    const toNothing = await link(staffNP, banke, { toNetworkId: NOWHERE });
    const toArchived = await link(staffNP, banke, { toNetworkId: closedIQ });
    proposal = toOther.body.id;
    assert.equal(toOther.status, 201, JSON.stringify(toOther.body));
    assert.deepEqual(toOther.body.network, { id: kirkuk, countryCode: null, name: null });
    assert.equal(toOther.body.status, 'proposed');
    assert.deepEqual(shape(toNothing), shape(toOther));
    assert.deepEqual(shape(toArchived), shape(toOther));
    assert.equal(toNothing.body.toNetworkId, NOWHERE, 'the id as sent, nothing more');
    // Listed alike too: three proposals, none naming its target or its country.
    const listed = (await links(staffNP, banke)).body.data;
    assert.equal(listed.length, 3);
    assert.deepEqual(new Set(listed.map((l: Record<string, unknown>) => JSON.stringify(shape({ status: 200, headers: {}, body: l }).body))).size, 1);
    // And so are the refusals that follow: a second proposal (409 naming the proposal), and an attempt to confirm one's own.
    const again = [await link(staffNP, banke, { toNetworkId: kirkuk }), await link(staffNP, banke, { toNetworkId: NOWHERE })];
    assert.deepEqual(shape(again[1]), shape(again[0]));
    assert.equal(again[0].status, 409);
    const selfConfirm = [await decide(staffNP, banke, proposal, 'confirmed'), await decide(staffNP, banke, toNothing.body.id, 'confirmed')];
    assert.equal(selfConfirm[0].status, 409);
    assert.equal(selfConfirm[0].body.type, 'urn:jsd:problem:proposal-awaits-other-side');
    assert.deepEqual(shape(selfConfirm[1]), shape(selfConfirm[0]));
  });

  it("shows the other country the proposal, without the proposer's name, for it to decide", async () => {
    const fromIQ = (await links(staffIQ, kirkuk)).body.data;
    assert.equal(fromIQ.length, 1);
    assert.deepEqual(
      { status: fromIQ[0].status, direction: fromIQ[0].direction, network: fromIQ[0].network },
      { status: 'proposed', direction: 'incoming', network: { id: banke, countryCode: 'NP', name: null } },
    );
    // hq_analyst and admin read every network: they see both names all along.
    for (const token of [hq, admin]) {
      const item = (await links(token, kirkuk)).body.data[0];
      assert.deepEqual(item.network, { id: banke, countryCode: 'NP', name: 'Banke district network' });
    }
  });

  it('counts only confirmed links in the learning summaries', async () => {
    await insertSession(t.db, { networkId: banke, heldOn: '2016-07-01' });
    await insertSession(t.db, { networkId: kirkuk, heldOn: '2016-07-02' });
    const manager = t.app.get(DataSource).manager;
    const period = parsePeriod('2016')!;
    const active = async () => (await activeCrossCountryLinks(manager, null, period)).map((l) => (l as { linkId: string }).linkId);
    assert.deepEqual(await active(), []);
    const confirmed = await decide(staffIQ, kirkuk, proposal, 'confirmed');
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assert.deepEqual(await active(), [proposal]);
  });

  it('once the other side confirms, both sides see both names; a decision is final and audited', async () => {
    const fromNP = (await links(staffNP, banke)).body.data.find((l: { id: string }) => l.id === proposal);
    assert.deepEqual([fromNP.status, fromNP.network], ['confirmed', { id: kirkuk, countryCode: 'IQ', name: 'Kirkuk district network' }]);
    const fromIQ = (await links(staffIQ, kirkuk)).body.data[0];
    assert.deepEqual([fromIQ.status, fromIQ.network.name], ['confirmed', 'Banke district network']);
    const again = await decide(staffIQ, kirkuk, proposal, 'declined');
    assert.equal(again.status, 409);
    assert.equal(again.body.type, 'urn:jsd:problem:invalid-transition');
    const audit = await t.db.query(`SELECT action, changes FROM audit_events WHERE entity = 'network_link' AND entity_id = $1 ORDER BY seq`, [proposal]);
    assert.deepEqual(audit.rows.map((r) => [r.action, r.changes.status]), [['create', { to: 'proposed' }], ['transition', { from: 'proposed', to: 'confirmed' }]]);
  });

  it('lets the other side decline: archived, named to neither side, and proposing again reopens it', async () => {
    const res = await link(staffNP, banke, { toNetworkId: hawija, kind: 'exchange' });
    assert.equal(res.body.status, 'proposed');
    assert.equal((await decide(hq, hawija, res.body.id, 'declined')).status, 403);
    assert.equal((await decide(staffNP, hawija, res.body.id, 'declined')).status, 404, 'the proposer cannot act through the other network');
    const declined = await decide(staffIQ, hawija, res.body.id, 'declined');
    assert.equal(declined.status, 200, JSON.stringify(declined.body));
    assert.equal(declined.body.status, 'declined');
    assert.ok(declined.body.archivedAt);
    assert.equal((await links(staffIQ, hawija)).body.data.length, 0);
    const seenByProposer = (await links(staffNP, banke, '?includeArchived=true')).body.data.find((l: { id: string }) => l.id === res.body.id);
    assert.deepEqual([seenByProposer.status, seenByProposer.network], ['declined', { id: hawija, countryCode: null, name: null }]);
    const reopened = await link(staffNP, banke, { toNetworkId: hawija, kind: 'exchange' });
    assert.deepEqual([reopened.status, reopened.body.id, reopened.body.status], [201, res.body.id, 'proposed']);
  });

  it("confirms at once an admin's link and a link of country staff who work in both countries", async () => {
    const byAdmin = await link(admin, dang, { toNetworkId: kirkuk, kind: 'mentoring' });
    assert.deepEqual([byAdmin.status, byAdmin.body.status, byAdmin.body.network.name], [201, 'confirmed', 'Kirkuk district network']);
    assert.equal((await links(staffIQ, kirkuk)).body.data.find((l: { id: string }) => l.id === byAdmin.body.id).network.name, 'Dang district network');
    const byBoth = await link(staffBoth, dang, { toNetworkId: hawija, kind: 'exchange' });
    assert.deepEqual([byBoth.status, byBoth.body.status], [201, 'confirmed']);
    assert.equal((await link(staffBoth, dang, { toNetworkId: NOWHERE })).body.status, 'proposed', 'a missing id is still only a proposal');
  });

  it('lets an admin confirm a proposal through either end', async () => {
    const res = await link(staffIQ, hawija, { toNetworkId: banke, kind: 'mentoring' });
    assert.equal(res.body.status, 'proposed');
    const confirmed = await decide(admin, hawija, res.body.id, 'confirmed');
    assert.deepEqual([confirmed.status, confirmed.body.status, confirmed.body.network.name], [200, 'confirmed', 'Banke district network']);
  });

  it('keeps a link within one country as it was: confirmed at once, named both ways', async () => {
    const res = await link(staffNP, banke, { toNetworkId: dang });
    assert.deepEqual([res.status, res.body.status, res.body.network], [201, 'confirmed', { id: dang, countryCode: 'NP', name: 'Dang district network' }]);
  });

  it('refuses bad transition bodies with 400 and stale versions with 412, changing nothing', async () => {
    const res = await link(staffNP, dang, { toNetworkId: kirkuk, kind: 'exchange' });
    const bad = await t.http.post(`/api/v1/networks/${kirkuk}/links/${res.body.id}/transitions`).set(auth(staffIQ)).send({ to: 'proposed' });
    assert.equal(bad.status, 400);
    const stale = await t.http.post(`/api/v1/networks/${kirkuk}/links/${res.body.id}/transitions`).set({ ...auth(staffIQ), 'If-Match': '"7"' }).send({ to: 'confirmed' });
    assert.equal(stale.status, 412);
    assert.equal((await t.db.query('SELECT status FROM network_links WHERE id = $1', [res.body.id])).rows[0].status, 'proposed');
  });

  it('refuses, in the database itself, a confirmed link to an id that names no network', async () => {
    await assert.rejects(
      t.db.query(`INSERT INTO network_links (id, from_network_id, to_network_id, kind, since, status) VALUES (gen_random_uuid(), $1, $2, 'peer', '2016-01-01', 'confirmed')`, [banke, NOWHERE]),
      /must name an existing network/,
    );
    const dangling = (await t.db.query(`SELECT id FROM network_links WHERE to_network_id = $1`, [NOWHERE])).rows[0].id;
    await assert.rejects(t.db.query(`UPDATE network_links SET status = 'confirmed' WHERE id = $1`, [dangling]), /must name an existing network/);
  });
});
