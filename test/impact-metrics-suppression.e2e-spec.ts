import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminToken, createUser } from './support/auth';
import { insertNetwork, insertParticipant } from './support/fixtures';
import { insertMetricsSession, parseCsv } from './support/metrics';
import { startTestApp, TestApp } from './support/test-app';

const IMPACT = '/api/v1/metrics/impact';
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * Small-cell suppression with the default SMALL_CELL_THRESHOLD (5).
 * NP: network Nk (k = 0 … 5) has one session attended by k women of civil society.
 * LY: network X — 6 lawyers and 3 journalists, 7 of them women, 2 more women counted unnamed;
 *     network Y — 6 male academics and 7 unnamed men.
 */
describe('GET /metrics/impact small-cell suppression', () => {
  let t: TestApp;
  let analyst: string;
  const sized: string[] = [];
  let x: string;
  let y: string;

  before(async () => {
    t = await startTestApp();
    analyst = (await createUser(t, await adminToken(t), { role: 'hq_analyst' })).token;
    for (let k = 0; k <= 5; k++) {
      const networkId = await insertNetwork(t.db, { countryCode: 'NP', name: `N${k}` });
      const people = [];
      for (let i = 0; i < k; i++) people.push(await insertParticipant(t.db, { countryCode: 'NP', gender: 'female', stakeholderGroup: 'civil_society' }));
      await insertMetricsSession(t.db, { networkId, heldOn: '2016-03-01', participants: people });
      sized.push(networkId);
    }
    x = await insertNetwork(t.db, { countryCode: 'LY', name: 'X' });
    y = await insertNetwork(t.db, { countryCode: 'LY', name: 'Y' });
    const xPeople = [];
    for (let i = 0; i < 9; i++) {
      xPeople.push(await insertParticipant(t.db, { countryCode: 'LY', gender: i < 7 ? 'female' : 'male', stakeholderGroup: i < 6 ? 'lawyer' : 'journalist' }));
    }
    await insertMetricsSession(t.db, { networkId: x, heldOn: '2016-03-01', participants: xPeople, unnamed: { women: 2 } });
    const yPeople = [];
    for (let i = 0; i < 6; i++) yPeople.push(await insertParticipant(t.db, { countryCode: 'LY', gender: 'male', stakeholderGroup: 'academic' }));
    await insertMetricsSession(t.db, { networkId: y, heldOn: '2016-03-01', participants: yPeople, unnamed: { men: 7 } });
  });
  after(() => t.close());

  const get = async (query: string) => {
    const res = await t.http.get(`${IMPACT}${query}`).set(bearer(analyst));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };

  it('hides counts of 1 to 4 people and the share derived from them, never 0 or 5', async () => {
    for (let k = 0; k <= 5; k++) {
      const row = (await get(`?networkId=${sized[k]}`)).data[0];
      assert.equal(row.sessions, 1, 'sessions are not people');
      if (k >= 1 && k <= 4) {
        assert.deepEqual(row.suppressed, ['attendances', 'uniqueParticipants', 'women', 'stakeholderGroups.civil_society', 'womenShare'], `k=${k}`);
        assert.deepEqual([row.attendances, row.uniqueParticipants, row.women, row.womenShare, row.stakeholderGroups.civil_society], [null, null, null, null, null], `k=${k}`);
      } else {
        assert.deepEqual(row.suppressed, [], `k=${k}`);
        assert.deepEqual([row.attendances, row.uniqueParticipants, row.women, row.stakeholderGroups.civil_society], [k, k, k, k], `k=${k}`);
        assert.equal(row.womenShare, k ? 1 : null);
      }
      assert.equal(row.unnamedAttendances, 0, 'zero is never suppressed');
      assert.equal(row.stakeholderGroups.lawyer, 0);
    }
  });

  it('hides a complementary cell wherever subtraction would reveal a hidden one', async () => {
    const row = (await get(`?networkId=${x}`)).data[0];
    // 3 journalists (primary) would follow from 9 − 6 lawyers: lawyers go too. 2 men would follow
    // from 9 − 7 women: women (and the share) go. 2 unnamed women are hidden; the 9 named are not
    // published, so attendances (11) can stay.
    assert.deepEqual(row.suppressed, ['unnamedAttendances', 'women', 'stakeholderGroups.lawyer', 'stakeholderGroups.journalist', 'womenShare']);
    assert.equal(row.uniqueParticipants, 9);
    assert.equal(row.attendances, 11);
    assert.deepEqual([row.women, row.womenShare, row.unnamedAttendances, row.stakeholderGroups.lawyer, row.stakeholderGroups.journalist], [null, null, null, null, null]);
  });

  it('hides the same figure in a sibling row when the total of the rows would reveal it', async () => {
    const total = (await get('?countryCode=LY')).data[0];
    assert.equal(total.unnamedAttendances, 9, 'the LY total is 2 + 7 and is not small');
    const rows = (await get('?countryCode=LY&groupBy=network')).data;
    assert.deepEqual(rows.map((r: { networkName: string }) => r.networkName), ['X', 'Y']);
    const [rx, ry] = rows;
    assert.equal(rx.unnamedAttendances, null);
    // Y's 7 alone would give X's 2 away (9 − 7): it is hidden as the complementary cell.
    assert.equal(ry.unnamedAttendances, null);
    assert.deepEqual(ry.suppressed, ['unnamedAttendances']);
    assert.equal(ry.attendances, 13);
    assert.equal(ry.stakeholderGroups.academic, 6);
  });

  it('sends hidden figures as empty CSV cells and names them in the suppressed column', async () => {
    const res = await t.http.get(`${IMPACT}?countryCode=LY&groupBy=network`).set(bearer(analyst)).set('Accept', 'text/csv');
    assert.equal(res.status, 200);
    const [header, rx, ry] = parseCsv(res.text);
    const col = (name: string) => header.indexOf(name);
    assert.equal(rx[col('networkName')], 'X');
    assert.equal(rx[col('women')], '');
    assert.equal(rx[col('womenShare')], '');
    assert.equal(rx[col('uniqueParticipants')], '9');
    assert.equal(rx[col('suppressed')], 'unnamedAttendances;women;stakeholderGroups.lawyer;stakeholderGroups.journalist;womenShare');
    assert.equal(ry[col('unnamedAttendances')], '');
    assert.equal(ry[col('stakeholderGroups.academic')], '6');
  });
});
