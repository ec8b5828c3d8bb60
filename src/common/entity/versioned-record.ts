import { Column, CreateDateColumn, UpdateDateColumn } from 'typeorm';

/**
 * The columns every record the API edits carries: `version` for optimistic concurrency (ETag /
 * If-Match, UPDATE … WHERE version = $n), timestamps, and `archivedAt` because nothing is
 * hard-deleted through the API.
 */
export abstract class VersionedRecord {
  @Column('int', { default: 1 })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column('timestamptz', { nullable: true })
  archivedAt!: Date | null;
}
