import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A job to add to BullMQ once the transaction that wrote this row has committed. The worker's
 * relay moves unrelayed rows to BullMQ and stamps `relayedAt`; housekeeping deletes relayed rows
 * after a week. `data` holds ids only, never personal data.
 */
@Entity('outbox_messages')
@Index('IDX_outbox_messages_unrelayed', ['createdAt'], { where: '"relayed_at" IS NULL' })
@Index('IDX_outbox_messages_relayed_at', ['relayedAt'])
export class OutboxMessage {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  queue!: string;

  @Column('text')
  name!: string;

  /** The BullMQ job id: a re-relay after a crash adds nothing because BullMQ keeps ids unique. */
  @Column('text')
  jobId!: string;

  @Column('jsonb')
  data!: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  relayedAt!: Date | null;

  @Column('int', { default: 0 })
  attempts!: number;

  @Column('text', { nullable: true })
  lastError!: string | null;
}
