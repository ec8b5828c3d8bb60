import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { PersonalDataCipher } from '../src/common/crypto/personal-data-cipher';
import { verifyAuditChain } from '../src/common/audit/audit-verify';
import { loadDemoData } from '../src/demo/demo-data';
import { startTestApp, TestApp } from './support/test-app';
import { login } from './support/auth';

describe('demo data', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  const count = async (table: string) => Number((await t.db.query(`SELECT count(*) FROM ${table}`)).rows[0].count);

  it('loads a multi-country programme, and loading it again duplicates nothing', async () => {
    const dataSource = t.app.get(DataSource);
    const cipher = t.app.get(PersonalDataCipher);
    const first = await loadDemoData(dataSource, cipher);
    assert.ok(first.participant >= 300 && first.police_partner >= 40, JSON.stringify(first));
    const tables = [
      'networks', 'network_links', 'partners', 'partner_networks', 'participants', 'police_partners', 'participant_networks', 'users',
      'sessions', 'session_attendance', 'action_points', 'early_warnings', 'early_warning_history', 'indicator_values',
      'disputes', 'dispute_history', 'dispute_parties', 'dispute_mediators', 'initiatives', 'disbursements', 'milestones', 'audit_events',
    ];
    const before = await Promise.all(tables.map(count));
    const second = await loadDemoData(dataSource, cipher);
    assert.deepEqual(second, {});
    assert.deepEqual(await Promise.all(tables.map(count)), before);

    const countries = (await t.db.query('SELECT DISTINCT country_code FROM networks ORDER BY 1')).rows.map((r) => r.country_code);
    assert.deepEqual(countries, ['IQ', 'LY', 'NP']);
    const crossCountry = await t.db.query(
      'SELECT count(*) FROM network_links l JOIN networks a ON a.id = l.from_network_id JOIN networks b ON b.id = l.to_network_id WHERE a.country_code <> b.country_code',
    );
    assert.ok(Number(crossCountry.rows[0].count) >= 2);
    const groups = await t.db.query('SELECT count(DISTINCT stakeholder_group) FROM participants');
    assert.equal(Number(groups.rows[0].count), 16, 'every stakeholder group is represented');
    const clear = await t.db.query(`SELECT count(*) FROM participants WHERE full_name_enc NOT LIKE 'v1:%'`);
    assert.equal(Number(clear.rows[0].count), 0, 'identities are stored encrypted');

    const client = await t.db.connect();
    try {
      assert.equal((await verifyAuditChain(client)).ok, true);
    } finally {
      client.release();
    }
  });

  it('holds two years of sessions with named attendance, and the Kirkuk fall in reported crime', async () => {
    const sessions = await t.db.query(`SELECT count(*)::int AS n, min(held_on)::text AS first, max(held_on)::text AS last FROM sessions`);
    assert.ok(sessions.rows[0].n >= 250, JSON.stringify(sessions.rows[0]));
    assert.match(sessions.rows[0].first, /^2015-01/);
    assert.match(sessions.rows[0].last, /^2016-12/);
    const unconsented = await t.db.query(
      `SELECT count(*)::int AS n FROM session_attendance a JOIN participants p ON p.id = a.participant_id WHERE NOT p.consent_given`,
    );
    assert.equal(unconsented.rows[0].n, 0, 'no one without consent in named attendance');
    const crimes = await t.db.query(
      `SELECT substr(period, 1, 4) AS year, avg(value)::float AS mean FROM indicator_values v JOIN networks n ON n.id = v.network_id
       WHERE n.admin_area = 'Kirkuk' AND n.level = 'district' AND indicator = 'reported_crimes' GROUP BY 1 ORDER BY 1`,
    );
    const [y2015, y2016] = crimes.rows.map((r) => r.mean);
    const change = (y2016 - y2015) / y2015;
    assert.ok(change < -0.7 && change > -0.8, `Kirkuk reported crimes changed by ${(change * 100).toFixed(1)} %`);
  });

  it('holds disputes in every status, each with a history that follows the workflow', async () => {
    const statuses = (await t.db.query('SELECT DISTINCT status FROM disputes ORDER BY 1')).rows.map((r) => r.status);
    assert.deepEqual(statuses, ['closed', 'escalated', 'in_mediation', 'referred', 'reported', 'resolved', 'withdrawn']);
    const lastStepMatches = await t.db.query(
      `SELECT count(*)::int AS n FROM disputes d WHERE d.status <> (SELECT h.to_status FROM dispute_history h WHERE h.dispute_id = d.id ORDER BY h.occurred_at DESC, h.id LIMIT 1)`,
    );
    assert.equal(lastStepMatches.rows[0].n, 0, 'the last history step is the current status');
    const plain = await t.db.query(`SELECT count(*)::int AS n FROM disputes WHERE description_enc NOT LIKE 'v1:%'`);
    assert.equal(plain.rows[0].n, 0);
    // Encrypted with the same contexts the API decrypts with.
    const staff = await login(t, 'staff.iq@example.org', 'demo-password-2026');
    const { rows } = await t.db.query(`SELECT id FROM disputes WHERE country_code = 'IQ' AND status = 'resolved' LIMIT 1`);
    const res = await t.http.get(`/api/v1/disputes/${rows[0].id}`).set('Authorization', `Bearer ${staff.accessToken}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(res.body.description.length > 10);
    assert.equal(res.body.history[0].to, 'reported');
    assert.ok(res.body.resolution.terms);
  });

  it('holds initiatives of every category, none disbursed beyond its budget', async () => {
    const categories = (await t.db.query('SELECT DISTINCT category FROM initiatives ORDER BY 1')).rows.map((r) => r.category);
    assert.deepEqual(categories, ['code_of_conduct', 'detention_facility', 'help_desk', 'infrastructure', 'interfaith_committee', 'livelihood', 'other', 'police_post', 'school_program', 'training']);
    const over = await t.db.query(
      `SELECT count(*)::int AS n FROM initiatives i WHERE i.budget_amount < (SELECT coalesce(sum(d.amount), 0) FROM disbursements d WHERE d.initiative_id = i.id)`,
    );
    assert.equal(over.rows[0].n, 0);
    const admin = await login(t, 'admin@test.local', 'admin-password-123');
    const { rows } = await t.db.query(`SELECT id FROM initiatives WHERE category = 'help_desk'`);
    const res = await t.http.get(`/api/v1/initiatives/${rows[0].id}`).set('Authorization', `Bearer ${admin.accessToken}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.budget, { amount: '25000.00', currency: 'EUR' });
  });

  it('creates a login for each role', async () => {
    for (const email of ['hq@example.org', 'staff.iq@example.org', 'partner.kirkuk@example.org']) {
      const tokens = await login(t, email, 'demo-password-2026');
      const me = await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${tokens.accessToken}`);
      assert.equal(me.status, 200);
    }
  });
});
