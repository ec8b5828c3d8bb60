import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ImpactMetricsService } from '../src/insights/impact-metrics.service';
import { adminToken } from './support/auth';
import { insertNetwork } from './support/fixtures';
import { insertMetricsSession } from './support/metrics';
import { lockTable } from './support/table-lock';
import { startTestApp, TestApp } from './support/test-app';

const IMPACT = '/api/v1/metrics/impact?countryCode=NP&groupBy=month';

/**
 * A metrics question that cannot be answered within METRICS_TIMEOUT_MS gets a 503 problem before
 * the socket's 30 s idle timeout would drop the connection without an answer. The slowness is
 * made without stubs: a transaction of the test holds the sessions table locked, and a lock wait
 * counts against statement_timeout like work does.
 */
describe('GET /metrics/impact that takes too long', () => {
  let t: TestApp;
  let admin: string;

  const lockSessions = () => lockTable(t.db, 'sessions');

  before(async () => {
    t = await startTestApp({ METRICS_TIMEOUT_MS: '300' });
    admin = await adminToken(t);
    await insertMetricsSession(t.db, { networkId: await insertNetwork(t.db, { countryCode: 'NP' }), heldOn: '2016-03-01' });
  });
  after(async () => t.close());

  it('is answered with a 503 problem that says how to narrow it, and nothing internal', async () => {
    const lock = await lockSessions();
    const started = Date.now();
    const res = await t.http.get(IMPACT).set('Authorization', `Bearer ${admin}`);
    const took = Date.now() - started;
    await lock.release();
    assert.equal(res.status, 503, JSON.stringify(res.body));
    assert.match(res.headers['content-type'], /application\/problem\+json/);
    assert.equal(res.body.type, 'urn:jsd:problem:metrics-timeout');
    assert.match(res.body.detail, /longer than 0\.3 s.*narrow it/);
    assert.doesNotMatch(JSON.stringify(res.body), /statement|cancel|sessions|SELECT|57014/i);
    assert.ok(took < 5_000, `answered after ${took} ms`);

    const again = await t.http.get(IMPACT).set('Authorization', `Bearer ${admin}`);
    assert.equal(again.status, 200);
    assert.equal(again.body.data[0].sessions, 1);
  });

  it('does not limit the worker, which computes learning summaries without a caller waiting', async () => {
    const lock = await lockSessions();
    const computing = t.app.get(ImpactMetricsService).compute('everything', { countryCodes: ['NP'] });
    await new Promise((resolve) => setTimeout(resolve, 800));
    await lock.release();
    const result = await computing;
    assert.equal(result.data[0].sessions, 1);
  });
});
