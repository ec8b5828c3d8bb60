import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * The outcome of one offline operation, keyed by who sent it and the client's id for it: the row
 * is claimed in the operation's own transaction, so an operation is applied at most once however
 * often its batch is retried, and a replay answers the stored outcome. Only applied operations
 * are kept: a refused one changed nothing and may be sent again (see SyncService).
 */
@Entity('sync_operations')
export class SyncOperation {
  /** `user:<id>` or `api_key:<id>`: one caller's client ids never collide with another's. */
  @PrimaryColumn('text')
  principalKey!: string;

  @PrimaryColumn('uuid')
  clientId!: string;

  @Column('text')
  resource!: string;

  @Column('text')
  method!: string;

  /** sha256 of the operation as sent, so a clientId reused for another operation is refused. */
  @Column('char', { length: 64 })
  requestHash!: string;

  /** The status the operation was answered with when applied (201, 200). */
  @Column('int')
  status!: number;

  @Column('uuid', { nullable: true })
  resourceId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
