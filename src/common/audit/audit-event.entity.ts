import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One row per write (and per disclosure of personal data), append-only: a trigger refuses UPDATE
 * and DELETE, and each row carries the hash of the previous one so that an edit made around the
 * trigger is still detected by `npm run audit:verify`.
 */
@Entity('audit_events')
@Index(['entity', 'entityId', 'seq'])
@Index(['actorId', 'seq'])
@Index(['occurredAt'])
export class AuditEvent {
  /** Gap-free position in the hash chain, assigned while the write commits (migration AuditChainAtCommit). */
  @PrimaryColumn('bigint')
  seq!: string;

  @Column('uuid', { unique: true })
  id!: string;

  @Column('timestamptz')
  occurredAt!: Date;

  @Column('text')
  actorKind!: 'user' | 'api_key' | 'system';

  @Column('uuid', { nullable: true })
  actorId!: string | null;

  @Column('text', { nullable: true })
  actorRole!: string | null;

  @Column('text')
  action!: string;

  @Column('text')
  entity!: string;

  @Column('text')
  entityId!: string;

  /** Changed fields: `{ field: { from, to } }`; values of personal data are replaced by "[redacted]". */
  @Column('jsonb')
  changes!: Record<string, unknown>;

  @Column('text', { nullable: true })
  requestId!: string | null;

  @Column('char', { length: 64 })
  prevHash!: string;

  @Column('char', { length: 64 })
  hash!: string;
}
