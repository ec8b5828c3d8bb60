import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from './user.entity';

/**
 * Sign-in attempts on one account from one source (client address, client-address.ts). Failed
 * passwords lock a source out of an account, not the account itself, so a stranger who knows
 * someone's email cannot lock them out; a source that signed in lately is "known" and keeps
 * signing in while the account is locked against all other sources (LoginLockout).
 */
@Entity('login_sources')
export class LoginSource {
  @PrimaryColumn('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  /** base64url HMAC-SHA-256 of the address, keyed from JWT_SECRET: no address is stored. */
  @PrimaryColumn('char', { length: 43 })
  sourceKey!: string;

  /** Consecutive failed passwords from this source since its last success or lock. */
  @Column('int', { default: 0 })
  failedCount!: number;

  @Column('timestamptz', { nullable: true })
  lockedUntil!: Date | null;

  @Column('timestamptz', { nullable: true })
  lastSuccessAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  lastFailureAt!: Date | null;
}
