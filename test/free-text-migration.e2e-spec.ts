import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DataSource, QueryRunner } from 'typeorm';
import { FreeTextEncrypted1796719020000 } from '../migrations/1796719020000-FreeTextEncrypted';
import { personalDataCipherFrom } from '../src/common/crypto/cipher-from-config';
import { loadConfig } from '../src/config/app-config';
import { dataSourceOptions } from '../src/database/data-source-options';
import { createEmptyDatabase } from './support/test-database';

/**
 * Migration FreeTextEncrypted on a database that already holds free text in clear: every value is
 * encrypted in Node with the configured key (in batches: more rows than one batch), the clear
 * columns are gone, stored learning summaries lose the initiative titles they copied, and the
 * metrics' dirty-month triggers stay quiet (the text is no figure). `down` brings the clear
 * columns back with the same text.
 */
describe('migration FreeTextEncrypted', () => {
  let database: { url: string; drop: () => Promise<void> };
  let dataSource: DataSource;
  let runner: QueryRunner;
  const migration = new FreeTextEncrypted1796719020000();
  const cipher = personalDataCipherFrom(loadConfig({ ...process.env, NODE_ENV: 'test' }));
  const ids = { network: randomUUID(), partner: randomUUID(), warning: randomUUID(), initiative: randomUUID(), dispute: randomUUID(), run: randomUUID() };
  const q = (sql: string, params: unknown[] = []) => runner.query(sql, params) as Promise<Record<string, unknown>[]>;

  before(async () => {
    database = await createEmptyDatabase();
    dataSource = await new DataSource(dataSourceOptions(database.url, 'jsd-test-free-text-migration')).initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    runner = dataSource.createQueryRunner();
    await migration.down(runner);
    await q(`INSERT INTO networks (id, country_code, name, level, admin_area, established_on) VALUES ($1, 'NP', 'Net', 'district', 'Area', '2015-01-01')`, [ids.network]);
    await q(`INSERT INTO partners (id, country_code, name, kind) VALUES ($1, 'NP', 'Partner', 'csos')`, [ids.partner]);
    // 2,100 sessions: more than one batch of the migration.
    await q(`INSERT INTO sessions (id, network_id, country_code, title, kind, held_on, place, summary)
             SELECT gen_random_uuid(), $1, 'NP', 'Dialogue ' || i, 'dialogue', DATE '2016-01-01' + i % 300, CASE WHEN i % 2 = 0 THEN 'Hall ' || i END,
                    CASE WHEN i % 3 = 0 THEN 'Sita Sharma spoke (' || i || ')' END
               FROM generate_series(1, 2100) i`, [ids.network]);
    await q(`INSERT INTO action_points (id, session_id, description, status, position) SELECT gen_random_uuid(), id, 'Call ' || title, 'open', 0 FROM sessions`);
    await q(`INSERT INTO early_warnings (id, country_code, network_id, observed_on, place, risk_factors, description, severity)
             VALUES ($1, 'NP', $2, '2016-05-01', 'Ward 4', '{9}', 'Threats against Sita Sharma, 9841000000', 'high')`, [ids.warning, ids.network]);
    await q(`INSERT INTO early_warning_history (id, early_warning_id, from_status, to_status, note, actor_kind, occurred_at)
             VALUES (gen_random_uuid(), $1, 'reported', 'verified', 'Confirmed by Ram', 'system', now())`, [ids.warning]);
    await q(`INSERT INTO indicator_values (id, network_id, indicator, period, value, source) VALUES (gen_random_uuid(), $1, 'reported_crimes', '2016-01', 4, 'Station log')`, [ids.network]);
    await q(`INSERT INTO initiatives (id, network_id, country_code, title, problem_statement, category, funder, budget_amount, budget_currency, status)
             VALUES ($1, $2, 'NP', 'Desk for Sita', 'Nobody listens', 'help_desk', 'EU', 100, 'USD', 'approved')`, [ids.initiative, ids.network]);
    await q(`INSERT INTO initiative_history (id, initiative_id, from_status, to_status, note, actor_kind, occurred_at) VALUES
             (gen_random_uuid(), $1, 'proposed', 'approved', 'Approved', 'system', now()), (gen_random_uuid(), $1, 'approved', 'approved', NULL, 'system', now())`, [ids.initiative]);
    await q(`INSERT INTO milestones (id, initiative_id, description) VALUES (gen_random_uuid(), $1, 'Desk opened')`, [ids.initiative]);
    await q(`INSERT INTO disbursements (id, initiative_id, amount, currency, disbursed_on, reference) VALUES
             (gen_random_uuid(), $1, 10, 'USD', '2016-02-01', 'TRANCHE-1'), (gen_random_uuid(), $1, 10, 'USD', '2016-02-02', NULL)`, [ids.initiative]);
    await q(`INSERT INTO disputes (id, network_id, country_code, reported_by_partner_id, reported_on, category, description_enc, severity, violence_risk, status, referral_to, referral_reference)
             VALUES ($1, $2, 'NP', $3, '2016-01-01', 'land', $4, 'low', 'low', 'referred', 'court', 'Case of Sita Sharma')`,
    [ids.dispute, ids.network, ids.partner, cipher.encrypt('A dispute', 'dispute.description')]);
    await q(`INSERT INTO learning_summary_runs (id, job_key, generation, job_id, period, country_codes, status, requested_by_kind)
             VALUES ($1, 'k', 1, 'j', '2016', '{NP}', 'completed', 'system')`, [ids.run]);
    const item = { id: ids.initiative, title: 'Desk for Sita', category: 'help_desk', networkId: ids.network, completedOn: '2016-06-01' };
    const content = { countryCode: 'NP', initiativesCompleted: { total: 1, byCategory: { help_desk: 1 }, items: [item] } };
    await q(`INSERT INTO learning_summaries (id, period, period_from, period_to, country_code, content, run_id, computed_at)
             VALUES (gen_random_uuid(), '2016', '2016-01-01', '2016-12-31', 'NP', $1, $2, now())`, [JSON.stringify(content), ids.run]);
    await q(`INSERT INTO learning_summary_cross_country (id, period, period_from, period_to, country_codes, content, run_id, computed_at)
             VALUES (gen_random_uuid(), '2016', '2016-01-01', '2016-12-31', '{NP}', $1, $2, now())`, [JSON.stringify({ period: '2016', countries: { NP: content } }), ids.run]);
    await q('DELETE FROM metrics_dirty_months');
  });
  after(async () => {
    await runner?.release();
    await dataSource?.destroy();
    await database?.drop();
  });

  it('encrypts every clear value in place, drops the clear columns and keeps the metrics quiet', async () => {
    await runner.startTransaction();
    await migration.up(runner);
    await runner.commitTransaction();
    const columns = (await q(`SELECT table_name || '.' || column_name AS c FROM information_schema.columns WHERE table_schema = 'public'`)).map((r) => r.c);
    for (const gone of ['sessions.title', 'sessions.place', 'sessions.summary', 'action_points.description', 'early_warnings.description', 'early_warnings.place',
      'early_warning_history.note', 'indicator_values.source', 'initiatives.title', 'initiatives.problem_statement', 'initiative_history.note', 'milestones.description',
      'disbursements.reference', 'disputes.referral_reference']) {
      assert.ok(!columns.includes(gone), `${gone} is dropped`);
    }
    const sessions = await q(`SELECT text_enc FROM sessions`);
    assert.equal(sessions.length, 2100);
    const texts = sessions.map((r) => JSON.parse(cipher.decrypt(String(r.text_enc), 'session.text')) as { title: string; place: string | null; summary: string | null });
    const third = texts.find((x) => x.title === 'Dialogue 6')!;
    assert.deepEqual(third, { title: 'Dialogue 6', place: 'Hall 6', summary: 'Sita Sharma spoke (6)' });
    assert.deepEqual(texts.find((x) => x.title === 'Dialogue 7'), { title: 'Dialogue 7', place: null, summary: null });
    const one = async (sql: string, context: string) => cipher.decrypt(String((await q(sql))[0].v), context);
    assert.equal(await one(`SELECT a.description_enc AS v FROM action_points a JOIN sessions s ON s.id = a.session_id ORDER BY a.id LIMIT 1`, 'action_point.description').then((v) => v.startsWith('Call Dialogue ')), true);
    assert.equal(await one(`SELECT description_enc AS v FROM early_warnings`, 'early_warning.description'), 'Threats against Sita Sharma, 9841000000');
    assert.equal(await one(`SELECT place_enc AS v FROM early_warnings`, 'early_warning.place'), 'Ward 4');
    assert.equal(await one(`SELECT note_enc AS v FROM early_warning_history`, 'early_warning.historyNote'), 'Confirmed by Ram');
    assert.equal(await one(`SELECT source_enc AS v FROM indicator_values`, 'indicator_value.source'), 'Station log');
    assert.equal(await one(`SELECT title_enc AS v FROM initiatives`, 'initiative.title'), 'Desk for Sita');
    assert.equal(await one(`SELECT problem_statement_enc AS v FROM initiatives`, 'initiative.problemStatement'), 'Nobody listens');
    assert.equal(await one(`SELECT note_enc AS v FROM initiative_history WHERE note_enc IS NOT NULL`, 'initiative.historyNote'), 'Approved');
    assert.equal(await one(`SELECT description_enc AS v FROM milestones`, 'milestone.description'), 'Desk opened');
    assert.equal(await one(`SELECT reference_enc AS v FROM disbursements WHERE reference_enc IS NOT NULL`, 'disbursement.reference'), 'TRANCHE-1');
    assert.equal(await one(`SELECT referral_reference_enc AS v FROM disputes`, 'dispute.referralReference'), 'Case of Sita Sharma');
    assert.deepEqual(await q(`SELECT count(*)::int AS n FROM initiative_history WHERE note_enc IS NULL`), [{ n: 1 }], 'a null stays null');
    const dump = JSON.stringify(await q(`SELECT (SELECT json_agg(l.content) FROM learning_summaries l) AS a, (SELECT json_agg(c.content) FROM learning_summary_cross_country c) AS b`));
    assert.doesNotMatch(dump, /Desk for Sita|"title"/);
    assert.match(dump, new RegExp(ids.initiative), 'the items stay, without their titles');
    assert.deepEqual(await q('SELECT count(*)::int AS n FROM metrics_dirty_months'), [{ n: 0 }]);
  });

  it('brings the clear columns back on the way down, with the same text', async () => {
    await runner.startTransaction();
    await migration.down(runner);
    await runner.commitTransaction();
    assert.deepEqual(await q(`SELECT title, place, summary FROM sessions WHERE title = 'Dialogue 6'`), [{ title: 'Dialogue 6', place: 'Hall 6', summary: 'Sita Sharma spoke (6)' }]);
    assert.deepEqual(await q(`SELECT place, description FROM early_warnings`), [{ place: 'Ward 4', description: 'Threats against Sita Sharma, 9841000000' }]);
    assert.deepEqual(await q(`SELECT referral_reference FROM disputes`), [{ referral_reference: 'Case of Sita Sharma' }]);
    assert.deepEqual(await q(`SELECT count(*)::int AS n FROM action_points WHERE description LIKE 'Call Dialogue %'`), [{ n: 2100 }]);
    await runner.startTransaction();
    await migration.up(runner);
    await runner.commitTransaction();
  });
});
