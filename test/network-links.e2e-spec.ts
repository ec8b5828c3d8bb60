import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminToken, createUser } from './support/auth';
import { insertNetwork, insertPartner } from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('/networks/{id}/links', () => {
  let t: TestApp;
  let admin: string;
  let hq: string;
  let staffNP: string;
  let staffIQ: string;
  let partnerUser: string;
  let banke: string;
  let kailali: string;
  let kirkuk: string;
  let peerLink: string;

  const totalAudits = async () => Number((await t.db.query('SELECT count(*) FROM audit_events')).rows[0].count);
  const linkAudits = async (id: string) =>
    Number((await t.db.query(`SELECT count(*) FROM audit_events WHERE entity = 'network_link' AND entity_id = $1`, [id])).rows[0].count);
  const link = (token: string, from: string, body: Record<string, unknown>) =>
    t.http.post(`/api/v1/networks/${from}/links`).set(auth(token)).send({ kind: 'peer', since: '2016-05-01', ...body });
  const links = (token: string, id: string, query = '') => t.http.get(`/api/v1/networks/${id}/links${query}`).set(auth(token));

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    hq = (await createUser(t, admin, { role: 'hq_analyst' })).token;
    staffNP = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['NP'] })).token;
    staffIQ = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['IQ'] })).token;
    banke = await insertNetwork(t.db, { countryCode: 'NP', name: 'Banke district network' });
    kailali = await insertNetwork(t.db, { countryCode: 'NP', name: 'Kailali district network' });
    kirkuk = await insertNetwork(t.db, { countryCode: 'IQ', name: 'Kirkuk district network' });
    const partnerId = await insertPartner(t.db, { countryCode: 'NP', networkIds: [banke] });
    partnerUser = (await createUser(t, admin, { role: 'partner', partnerId })).token;
  });
  after(() => t.close());

  it('lets an admin link networks of two countries, confirmed at once: 201, Location, one audit row', async () => {
    const res = await link(admin, banke, { toNetworkId: kirkuk });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    peerLink = res.body.id;
    assert.equal(res.headers.location, `/api/v1/networks/${banke}/links/${peerLink}`);
    assert.deepEqual(
      { ...res.body, id: undefined, createdAt: undefined },
      {
        id: undefined,
        fromNetworkId: banke,
        toNetworkId: kirkuk,
        direction: 'outgoing',
        network: { id: kirkuk, countryCode: 'IQ', name: 'Kirkuk district network' },
        kind: 'peer',
        status: 'confirmed',
        since: '2016-05-01',
        version: 1,
        createdAt: undefined,
        archivedAt: null,
      },
    );
    assert.equal(await linkAudits(peerLink), 1);
  });

  it('lists the link from both ends, across countries, with the other network and the direction', async () => {
    const fromNP = await links(staffNP, banke);
    assert.equal(fromNP.status, 200);
    assert.deepEqual(fromNP.body.data.map((l: { id: string; direction: string }) => [l.id, l.direction]), [[peerLink, 'outgoing']]);
    const fromIQ = await links(staffIQ, kirkuk);
    assert.equal(fromIQ.status, 200);
    assert.equal(fromIQ.body.data.length, 1);
    assert.equal(fromIQ.body.data[0].direction, 'incoming');
    assert.deepEqual(fromIQ.body.data[0].network, { id: banke, countryCode: 'NP', name: 'Banke district network' });
    assert.equal((await links(hq, kirkuk)).body.data.length, 1);
    assert.equal((await links(staffNP, kailali)).body.data.length, 0);
  });

  it('needs read access to the network in the path: other country → 404', async () => {
    assert.equal((await links(staffNP, kirkuk)).status, 404);
    assert.equal((await links(staffIQ, banke)).status, 404);
    assert.equal((await links(partnerUser, kailali)).status, 404);
    assert.equal((await links(admin, '00000000-0000-4000-8000-00000000abcd')).status, 404);
  });

  it('shows a partner user the links of its network, without the id or name of networks beyond its own', async () => {
    const res = await links(partnerUser, banke);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.data[0].network, { id: null, countryCode: 'IQ', name: null });
    assert.deepEqual([res.body.data[0].fromNetworkId, res.body.data[0].toNetworkId], [banke, null]);
  });

  it('refuses a duplicate link in either direction (409) but accepts another kind', async () => {
    const before = await totalAudits();
    const same = await link(staffNP, banke, { toNetworkId: kirkuk });
    assert.equal(same.status, 409);
    assert.equal(same.body.linkId, peerLink);
    const reverse = await link(staffIQ, kirkuk, { toNetworkId: banke });
    assert.equal(reverse.status, 409);
    assert.equal(await totalAudits(), before);
    const mentoring = await link(staffIQ, kirkuk, { toNetworkId: banke, kind: 'mentoring', since: '2017-01-10' });
    assert.equal(mentoring.status, 201);
    assert.equal(mentoring.body.direction, 'outgoing');
    assert.equal(mentoring.body.status, 'proposed', 'across countries, country staff propose');
    const both = await links(staffNP, banke);
    assert.deepEqual(both.body.data.map((l: { kind: string; direction: string }) => [l.kind, l.direction]), [['peer', 'outgoing'], ['mentoring', 'incoming']]);
  });

  it('refuses writes to hq_analyst and partner users, and to staff without write access to the path network', async () => {
    const before = await totalAudits();
    assert.equal((await link(hq, banke, { toNetworkId: kailali })).status, 403);
    assert.equal((await link(partnerUser, banke, { toNetworkId: kailali })).status, 403);
    assert.equal((await t.http.delete(`/api/v1/networks/${banke}/links/${peerLink}`).set(auth(partnerUser))).status, 403);
    assert.equal((await t.http.delete(`/api/v1/networks/${banke}/links/${peerLink}`).set(auth(hq))).status, 403);
    assert.equal((await link(staffIQ, banke, { toNetworkId: kailali })).status, 404);
    assert.equal((await t.http.delete(`/api/v1/networks/${banke}/links/${peerLink}`).set(auth(staffIQ))).status, 404);
    assert.equal(await totalAudits(), before);
  });

  it('validates the body: unknown target 404 naming toNetworkId (for an admin, who sees every network), self link, unknown fields', async () => {
    const unknown = await link(admin, banke, { toNetworkId: '00000000-0000-4000-8000-00000000abcd' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.errors[0].field, 'toNetworkId');
    const self = await link(staffNP, banke, { toNetworkId: banke });
    assert.equal(self.status, 400);
    assert.equal(self.body.errors[0].field, 'toNetworkId');
    const bad = await link(staffNP, banke, { toNetworkId: kailali, kind: 'friendship', since: '2016-13-01', note: 'x' });
    assert.equal(bad.status, 400);
    assert.deepEqual([...new Set(bad.body.errors.map((e: { field: string }) => e.field))].sort(), ['kind', 'note', 'since']);
    assert.equal((await t.db.query('SELECT 1 FROM network_links WHERE to_network_id = $1 OR from_network_id = $1', [kailali])).rowCount, 0);
  });

  it('pages with a cursor', async () => {
    const first = await links(admin, banke, '?limit=1');
    assert.equal(first.body.data.length, 1);
    assert.ok(first.body.nextCursor);
    const second = await links(admin, banke, `?limit=1&cursor=${first.body.nextCursor}`);
    assert.equal(second.body.data.length, 1);
    assert.notEqual(second.body.data[0].id, first.body.data[0].id);
    assert.equal(second.body.nextCursor, null);
    assert.equal((await links(admin, banke, '?cursor=bm9wZQ')).status, 400);
  });

  it('archives from either end: 204, one audit row, gone unless includeArchived; linking again restores it', async () => {
    assert.equal((await t.http.delete(`/api/v1/networks/${kailali}/links/${peerLink}`).set(auth(staffNP))).status, 404, 'not a link of that network');
    assert.equal((await t.http.delete(`/api/v1/networks/${kirkuk}/links/${peerLink}`).set(auth(staffIQ))).status, 204);
    assert.equal(await linkAudits(peerLink), 2);
    assert.deepEqual((await links(staffNP, banke)).body.data.map((l: { kind: string }) => l.kind), ['mentoring']);
    const all = await links(staffNP, banke, '?includeArchived=true');
    assert.ok(all.body.data.find((l: { id: string }) => l.id === peerLink).archivedAt);
    assert.equal((await t.http.delete(`/api/v1/networks/${banke}/links/${peerLink}`).set(auth(staffNP))).status, 204);
    assert.equal(await linkAudits(peerLink), 2, 'archiving twice writes nothing');
    const again = await link(staffNP, banke, { toNetworkId: kirkuk, since: '2019-02-01' });
    assert.equal(again.status, 201);
    assert.equal(again.body.since, '2019-02-01');
    assert.equal(again.body.archivedAt, null);
    assert.equal(again.body.id, peerLink, 'the pair and kind are unique: the archived link is restored');
    assert.equal(again.body.status, 'proposed', 'restored by country staff of one side: a proposal again');
    assert.equal(await linkAudits(peerLink), 3);
  });
});
