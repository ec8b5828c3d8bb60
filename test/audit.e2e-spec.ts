import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { auditHash, auditMaterialAroundSeq } from '../src/common/audit/audit-chain';
import { adminToken, createUser } from './support/auth';
import { startTestApp, TestApp } from './support/test-app';

const VERIFY_CLI = join(__dirname, '..', 'src', 'common', 'audit', 'audit-verify-cli.js');

describe('audit log', () => {
  let t: TestApp;
  let admin: string;
  let analyst: { id: string; token: string };

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    analyst = await createUser(t, admin, { role: 'hq_analyst' });
    for (const [code, name] of [['KE', 'Kenya'], ['UG', 'Uganda'], ['RW', 'Rwanda']]) {
      const res = await t.http.post('/api/v1/countries').set('Authorization', `Bearer ${admin}`).send({ code, name, region: 'East Africa' });
      assert.equal(res.status, 201);
    }
  });
  after(() => t.close());

  const verify = () =>
    spawnSync(process.execPath, [VERIFY_CLI], { env: { ...process.env, DATABASE_URL: t.config.databaseUrl }, encoding: 'utf8' });

  it('is readable by admins only, newest first, filtered by entity and id', async () => {
    const res = await t.http.get('/api/v1/audit-events?entity=country&entityId=UG').set('Authorization', `Bearer ${admin}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.data.length, 1);
    const [event] = res.body.data;
    assert.equal(event.action, 'create');
    assert.equal(event.entity, 'country');
    assert.equal(event.actor.role, 'admin');
    assert.deepEqual(event.changes.name, { to: 'Uganda' });
    assert.ok(event.requestId);

    const all = await t.http.get('/api/v1/audit-events?entity=country&limit=2').set('Authorization', `Bearer ${admin}`);
    assert.deepEqual(all.body.data.map((e: { entityId: string }) => e.entityId), ['RW', 'UG']);
    assert.ok(all.body.nextCursor);
    const next = await t.http.get(`/api/v1/audit-events?entity=country&limit=2&cursor=${all.body.nextCursor}`).set('Authorization', `Bearer ${admin}`);
    assert.deepEqual(next.body.data.map((e: { entityId: string }) => e.entityId), ['KE']);

    const refused = await t.http.get('/api/v1/audit-events').set('Authorization', `Bearer ${analyst.token}`);
    assert.equal(refused.status, 403);
  });

  it('filters by actor and time range', async () => {
    const me = await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${admin}`);
    const byActor = await t.http.get(`/api/v1/audit-events?actorId=${me.body.id}&entity=country`).set('Authorization', `Bearer ${admin}`);
    assert.equal(byActor.body.data.length, 3);
    const future = await t.http.get('/api/v1/audit-events?from=2999-01-01').set('Authorization', `Bearer ${admin}`);
    assert.equal(future.body.data.length, 0);
    const bad = await t.http.get('/api/v1/audit-events?from=yesterday').set('Authorization', `Bearer ${admin}`);
    assert.equal(bad.status, 400);
  });

  it('refuses UPDATE and DELETE on audit rows in the database itself', async () => {
    await assert.rejects(t.db.query(`UPDATE audit_events SET action = 'x'`), /append-only/);
    await assert.rejects(t.db.query(`DELETE FROM audit_events`), /append-only/);
  });

  it('chains events staged concurrently at commit, with the hash the verifier recomputes for any content', async () => {
    // What AuditService.record does in each write's transaction, from ten connections at once,
    // with changes that JSON escapes (quotes, backslashes, control characters) or that are not ASCII.
    // Every third transaction rolls back: its event must vanish without leaving a gap in the chain.
    const texts = ['Côte d\'Ivoire', 'quote " and \\ backslash', 'line\nbreak\ttab\u0001', '🙂 مرحبا 你好', ''];
    const stage = async (i: number) => {
      const client = await t.db.connect();
      try {
        await client.query('BEGIN');
        const fields = {
          id: randomUUID(), occurredAt: new Date(), actorKind: 'system', actorId: null, actorRole: null, action: 'update',
          entity: 'country', entityId: 'KE', changes: { name: { from: texts[i % texts.length], to: texts[(i + 1) % texts.length] }, n: { to: i } }, requestId: `req-${i}`,
        };
        const { before, after } = auditMaterialAroundSeq(fields);
        await client.query(
          `INSERT INTO audit_pending (id, occurred_at, actor_kind, actor_id, actor_role, action, entity, entity_id, changes, request_id, material_before, material_after)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12)`,
          [fields.id, fields.occurredAt, fields.actorKind, fields.actorId, fields.actorRole, fields.action, fields.entity, fields.entityId,
           JSON.stringify(fields.changes), fields.requestId, before, after],
        );
        await client.query(i % 3 === 2 ? 'ROLLBACK' : 'COMMIT');
        return { committed: i % 3 !== 2, id: fields.id };
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    };
    const headBefore = Number((await t.db.query('SELECT max(seq) AS s FROM audit_events')).rows[0].s);
    const staged = await Promise.all(Array.from({ length: 30 }, (_, i) => stage(i)));
    const { rows } = await t.db.query('SELECT * FROM audit_events WHERE id = ANY($1) ORDER BY seq', [staged.map((e) => e.id)]);
    assert.deepEqual(rows.map((r) => r.id).sort(), staged.filter((e) => e.committed).map((e) => e.id).sort(), 'exactly the committed events');
    assert.deepEqual(rows.map((r) => Number(r.seq)), Array.from({ length: 20 }, (_, i) => headBefore + 1 + i), 'gap-free after the head');
    for (const r of rows) {
      const row = { seq: r.seq, id: r.id, occurredAt: r.occurred_at, actorKind: r.actor_kind, actorId: r.actor_id, actorRole: r.actor_role, action: r.action,
        entity: r.entity, entityId: r.entity_id, changes: r.changes, requestId: r.request_id, prevHash: r.prev_hash };
      assert.equal(r.hash, auditHash(row), `hash of seq ${r.seq}`);
    }
    assert.equal(Number((await t.db.query('SELECT count(*) FROM audit_pending')).rows[0].count), 0, 'nothing left staged');
    const out = verify();
    assert.equal(out.status, 0, out.stderr);
  });

  it('verifies an intact chain with npm run audit:verify', () => {
    const out = verify();
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stdout, /audit log intact: \d+ events verified/);
  });

  it('detects a row altered in SQL around the trigger', async () => {
    const client = await t.db.connect();
    try {
      // What someone with superuser rights could do: bypass triggers and rewrite history.
      await client.query('SET session_replication_role = replica');
      await client.query(`UPDATE audit_events SET changes = '{"name":{"to":"Tampered"}}' WHERE entity_id = 'UG'`);
    } finally {
      await client.query('SET session_replication_role = origin');
      client.release();
    }
    const seq = (await t.db.query(`SELECT seq FROM audit_events WHERE entity_id = 'UG'`)).rows[0].seq;
    const out = verify();
    assert.equal(out.status, 1);
    assert.match(out.stderr, new RegExp(`TAMPERED at seq ${seq}: the row was altered`));
  });
});
