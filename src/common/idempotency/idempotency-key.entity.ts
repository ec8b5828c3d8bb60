import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type IdempotencyState = 'in_progress' | 'committed' | 'completed';

/**
 * One row per (caller, Idempotency-Key). `in_progress` while the first request runs;
 * `committed` once its write's transaction committed (flipped inside that transaction by the
 * audit log, see AuditService); `completed` when the response is stored for replay.
 */
@Entity('idempotency_keys')
@Index(['expiresAt'])
@Index(['responseLocation'])
export class IdempotencyKey {
  /** `user:<id>` or `api_key:<id>`: one caller's key never replays another caller's response. */
  @PrimaryColumn('text')
  principalKey!: string;

  @PrimaryColumn('varchar', { length: 255 })
  key!: string;

  /** sha256 of method, path and canonical body: the same key with another body is a 422. */
  @Column('char', { length: 64 })
  requestHash!: string;

  @Column('text')
  state!: IdempotencyState;

  /**
   * Made by the server for the claim currently holding the key, and never shown to a client:
   * every settlement (committed by the write, completed, released) matches it with the caller
   * and the key. Never the request id, which a client may choose (X-Request-Id).
   */
  @Column('uuid')
  claimToken!: string;

  /** An in_progress key whose lease ran out (the process died before committing) may be taken over. */
  @Column('timestamptz')
  leaseUntil!: Date;

  @Column('int', { nullable: true })
  responseStatus!: number | null;

  @Column('jsonb', { nullable: true })
  responseBody!: unknown;

  @Column('text', { nullable: true })
  responseLocation!: string | null;

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz')
  expiresAt!: Date;
}
