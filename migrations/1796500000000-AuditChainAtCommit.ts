import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Links audit events into the hash chain while their transaction commits, not while it runs.
 *
 * Each event's seq and hash depend on the event before it, so writers extend the chain one at a
 * time, under an advisory lock that is held until COMMIT. The application used to take that lock,
 * read the chain's head and insert the event in three statements, each a round trip through the
 * client's event loop with the lock held. On the large bench dataset, sampling pg_stat_activity
 * every 100 ms during POST /sessions at 32 connections found backends waiting for the lock 6,674
 * times and running 93 times. A sync batch held the lock from its first operation to its last.
 *
 * Now a write stages its event in audit_pending (one INSERT, no lock). A deferred constraint
 * trigger fires inside COMMIT: it takes the lock, reads the head, inserts the chained event and
 * removes the staged row. The lock is held only for that and the commit record, with no client
 * round trip. The trigger's statements each take a new snapshot (READ COMMITTED, a VOLATILE
 * function), so the head it reads includes the event of the writer that held the lock before.
 * The application prepares the hash material around the seq (auditMaterialAroundSeq), and the
 * trigger finishes it as auditHash does: sha256 of prev_hash, a newline, and
 * before || '"' || seq || '"' || after. Stored hashes and `npm run audit:verify` are unchanged.
 *
 * audit_pending is UNLOGGED because a staged row never outlives its transaction: it is inserted
 * and deleted before COMMIT returns, so there is nothing in it for a crash to lose.
 * Hand-written: TypeORM cannot express a deferred constraint trigger, and audit_pending has no
 * entity because the application only ever inserts into it (AuditService.staging).
 */
export class AuditChainAtCommit1796500000000 implements MigrationInterface {
  name = 'AuditChainAtCommit1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE UNLOGGED TABLE audit_pending (
        id uuid PRIMARY KEY, occurred_at timestamptz NOT NULL, actor_kind text NOT NULL, actor_id uuid, actor_role text,
        action text NOT NULL, entity text NOT NULL, entity_id text NOT NULL, changes jsonb NOT NULL, request_id text,
        material_before text NOT NULL, material_after text NOT NULL)`);
    await queryRunner.query(`CREATE FUNCTION audit_chain_pending() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        head_seq bigint;
        head_hash text;
        next_seq bigint;
        prev_hash text;
      BEGIN
        -- The key the application used before this trigger: every writer of the chain must share it.
        PERFORM pg_advisory_xact_lock(7412001);
        SELECT e.seq, e.hash INTO head_seq, head_hash FROM audit_events e ORDER BY e.seq DESC LIMIT 1;
        next_seq := coalesce(head_seq, 0) + 1;
        prev_hash := coalesce(head_hash, repeat('0', 64));
        INSERT INTO audit_events (seq, id, occurred_at, actor_kind, actor_id, actor_role, action, entity, entity_id,
            changes, request_id, prev_hash, hash)
          VALUES (next_seq, NEW.id, NEW.occurred_at, NEW.actor_kind, NEW.actor_id, NEW.actor_role, NEW.action, NEW.entity,
            NEW.entity_id, NEW.changes, NEW.request_id, prev_hash,
            encode(sha256(convert_to(prev_hash || E'\\n' || NEW.material_before || '"' || next_seq::text || '"' || NEW.material_after, 'UTF8')), 'hex'));
        DELETE FROM audit_pending WHERE id = NEW.id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE CONSTRAINT TRIGGER audit_pending_chain AFTER INSERT ON audit_pending
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_chain_pending()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_pending`);
    await queryRunner.query(`DROP FUNCTION audit_chain_pending()`);
  }
}
