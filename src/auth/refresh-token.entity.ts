import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from './user.entity';

/**
 * One refresh token of a rotation family (one sign-in). Only the SHA-256 of the token is stored.
 * A successor's token is derived from its parent's id with an HMAC keyed by the JWT secret, so a
 * retried refresh within the grace period can be answered with the same pair without keeping any
 * token in clear. `parentId` is unique: a token has at most one successor, even under races.
 */
@Entity('refresh_tokens')
export class RefreshToken {
  @PrimaryColumn('uuid')
  id!: string;

  @Index()
  @Column('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Index()
  @Column('uuid')
  familyId!: string;

  @Index('UQ_refresh_tokens_parent_id', { unique: true })
  @Column('uuid', { nullable: true })
  parentId!: string | null;

  @Index('UQ_refresh_tokens_token_hash', { unique: true })
  @Column('char', { length: 64 })
  tokenHash!: string;

  /** Housekeeping purges rows past this instant. */
  @Index()
  @Column('timestamptz')
  expiresAt!: Date;

  @Column('timestamptz', { nullable: true })
  usedAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  revokedAt!: Date | null;

  /** Also the issue time of the access token paired with this refresh token. */
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
