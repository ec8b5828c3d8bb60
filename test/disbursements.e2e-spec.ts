import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminToken, auditCount, createUser } from './support/auth';
import { insertNetwork } from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';

const BASE = '/api/v1/initiatives';

describe('/initiatives/{id}/disbursements', () => {
  let t: TestApp;
  let staff: string;
  let network: string;

  before(async () => {
    t = await startTestApp();
    const admin = await adminToken(t);
    network = await insertNetwork(t.db, { countryCode: 'NP' });
    staff = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['NP'] })).token;
  });
  after(() => t.close());

  const auth = () => ({ Authorization: `Bearer ${staff}` });
  /** An initiative with the given budget, moved to `status` through the API. */
  const initiative = async (amount: string, status = 'approved', currency = 'USD') => {
    const res = await t.http.post(BASE).set(auth()).send({
      networkId: network,
      title: 'Separate detention rooms for women and children',
      problemStatement: 'Women and children are held with adult men.',
      category: 'detention_facility',
      funder: 'UN Women',
      budget: { amount, currency },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const path = { approved: ['approved'], in_progress: ['approved', 'in_progress'], proposed: [], completed: ['approved', 'in_progress', 'completed'], cancelled: ['cancelled'] }[status] ?? [];
    for (const to of path) assert.equal((await t.http.post(`${BASE}/${res.body.id}/transitions`).set(auth()).send({ to })).status, 200);
    return res.body.id as string;
  };
  const disburse = (id: string, amount: unknown, extra: Record<string, unknown> = {}) =>
    t.http.post(`${BASE}/${id}/disbursements`).set(auth()).send({ amount, disbursedOn: '2026-03-01', ...extra });
  const sumInSql = async (id: string) =>
    (await t.db.query<{ total: string }>('SELECT COALESCE(SUM(amount), 0)::text AS total FROM disbursements WHERE initiative_id = $1', [id])).rows[0].total;

  it('records a disbursement: 201, Location, one audit row, totals on the initiative', async () => {
    const id = await initiative('1000.00');
    const before = await auditCount(t);
    const res = await disburse(id, { amount: '250.50', currency: 'USD' }, { reference: 'TRF-2026-0042' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.headers.location, `${BASE}/${id}/disbursements/${res.body.id}`);
    assert.deepEqual(res.body.amount, { amount: '250.50', currency: 'USD' });
    assert.equal(res.body.reference, 'TRF-2026-0042');
    assert.equal(await auditCount(t), before + 1);
    const audit = await t.db.query('SELECT entity, action FROM audit_events WHERE entity_id = $1', [res.body.id]);
    assert.deepEqual(audit.rows, [{ entity: 'disbursement', action: 'create' }]);
    const get = await t.http.get(`${BASE}/${id}`).set(auth());
    assert.deepEqual(get.body.disbursed, { amount: '250.50', currency: 'USD' });
    assert.deepEqual(get.body.remaining, { amount: '749.50', currency: 'USD' });
    assert.equal(get.body.disbursements.length, 1);
    assert.equal((await t.http.get(res.headers.location).set(auth())).status, 200);
    const list = await t.http.get(`${BASE}?networkId=${network}&limit=200`).set(auth());
    const item = list.body.data.find((x: { id: string }) => x.id === id);
    assert.deepEqual(item.disbursed, { amount: '250.50', currency: 'USD' });
  });

  for (const [label, amount, field] of [
    ['a float', { amount: 12.345, currency: 'USD' }, 'amount.amount'],
    ['three decimals', { amount: '12.345', currency: 'USD' }, 'amount.amount'],
    ['a negative amount', { amount: '-1.00', currency: 'USD' }, 'amount.amount'],
    ['zero', { amount: '0', currency: 'USD' }, 'amount.amount'],
    ['a malformed currency', { amount: '1.00', currency: 'Usd' }, 'amount.currency'],
    ['another currency than the budget', { amount: '1.00', currency: 'EUR' }, 'amount.currency'],
    ['a bare number', 5, 'amount'],
  ] as const) {
    it(`rejects ${label} (400 naming ${field}), writing nothing`, async () => {
      const id = await initiative('100.00');
      const before = await auditCount(t);
      const res = await disburse(id, amount);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.ok(res.body.errors.some((e: { field: string }) => e.field === field), JSON.stringify(res.body.errors));
      assert.equal(await auditCount(t), before);
      assert.equal(await sumInSql(id), '0');
    });
  }

  it('adds exactly: 0.10 + 0.20 fills a budget of 0.30, a further 0.01 is 409 with the remaining amount', async () => {
    const id = await initiative('0.30');
    assert.equal((await disburse(id, { amount: '0.10', currency: 'USD' })).status, 201);
    assert.equal((await disburse(id, { amount: '0.20', currency: 'USD' })).status, 201);
    const over = await disburse(id, { amount: '0.01', currency: 'USD' });
    assert.equal(over.status, 409, JSON.stringify(over.body));
    assert.equal(over.body.type, 'urn:jsd:problem:budget-exceeded');
    assert.deepEqual(over.body.remaining, { amount: '0.00', currency: 'USD' });
    assert.match(over.body.detail, /0\.00 USD remaining/);
    assert.equal(await sumInSql(id), '0.30');
    const get = await t.http.get(`${BASE}/${id}`).set(auth());
    assert.deepEqual(get.body.remaining, { amount: '0.00', currency: 'USD' });
  });

  it('never overspends under twenty parallel disbursements', async () => {
    const id = await initiative('1000.00', 'in_progress');
    const results = await Promise.all(Array.from({ length: 20 }, () => disburse(id, { amount: '75.00', currency: 'USD' })));
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 13, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 409).length, 7, statuses.join(','));
    assert.equal(await sumInSql(id), '975.00');
    const rest = await disburse(id, { amount: '25.00', currency: 'USD' });
    assert.equal(rest.status, 201);
    assert.equal(await sumInSql(id), '1000.00');
  });

  it('creates one disbursement when the POST is retried with its Idempotency-Key', async () => {
    const id = await initiative('500.00');
    const before = await auditCount(t);
    const send = () => t.http.post(`${BASE}/${id}/disbursements`).set(auth()).set('Idempotency-Key', `disb-${id}`).send({ amount: { amount: '100.00', currency: 'USD' }, disbursedOn: '2026-03-01' });
    const first = await send();
    const retry = await send();
    assert.equal(first.status, 201);
    assert.equal(retry.status, 201);
    assert.equal(retry.body.id, first.body.id);
    const { rows } = await t.db.query('SELECT count(*)::int AS n FROM disbursements WHERE initiative_id = $1', [id]);
    assert.equal(rows[0].n, 1);
    assert.equal(await auditCount(t), before + 1);
  });

  it('accepts money only while approved or in progress (409 otherwise)', async () => {
    for (const status of ['proposed', 'completed', 'cancelled']) {
      const id = await initiative('100.00', status);
      const res = await disburse(id, { amount: '1.00', currency: 'USD' });
      assert.equal(res.status, 409, status);
      assert.equal(res.body.type, 'urn:jsd:problem:not-disbursable');
    }
  });

  it('keeps the budget above what is disbursed and its currency fixed once money is paid out', async () => {
    const id = await initiative('100.00');
    assert.equal((await disburse(id, { amount: '60.00', currency: 'USD' })).status, 201);
    const before = await auditCount(t);
    const below = await t.http.patch(`${BASE}/${id}`).set(auth()).send({ budget: { amount: '59.99', currency: 'USD' } });
    assert.equal(below.status, 409, JSON.stringify(below.body));
    const currency = await t.http.patch(`${BASE}/${id}`).set(auth()).send({ budget: { amount: '100.00', currency: 'EUR' } });
    assert.equal(currency.status, 409);
    assert.equal(await auditCount(t), before);
    const ok = await t.http.patch(`${BASE}/${id}`).set(auth()).set('If-Match', '"2"').send({ budget: { amount: '60', currency: 'USD' } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual(ok.body.budget, { amount: '60.00', currency: 'USD' });
    assert.deepEqual(ok.body.remaining, { amount: '0.00', currency: 'USD' });
    assert.equal(await auditCount(t), before + 1);
    const fresh = await initiative('100.00', 'proposed');
    const switched = await t.http.patch(`${BASE}/${fresh}`).set(auth()).send({ budget: { amount: '90.00', currency: 'EUR' } });
    assert.equal(switched.status, 200);
    assert.deepEqual(switched.body.budget, { amount: '90.00', currency: 'EUR' });
  });
});
