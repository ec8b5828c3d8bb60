import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from './principal';

export const USER_STATUSES = ['active', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/**
 * A person who signs in. The role and its scope (countries for country_staff, the partner
 * organisation for partner) are re-read on every request, so a change takes effect at once.
 */
@Entity('users')
@Index(['createdAt', 'id'])
@Check('CHK_users_email_lowercase', `"email" = lower("email")`)
@Check('CHK_users_role', `"role" IN ('admin', 'hq_analyst', 'country_staff', 'partner')`)
@Check('CHK_users_status', `"status" IN ('active', 'disabled')`)
export class User {
  /** Assigned by the application (randomUUID), so no database extension is needed. */
  @PrimaryColumn('uuid')
  id!: string;

  @Index('UQ_users_email', { unique: true })
  @Column('text')
  email!: string;

  /** argon2id; never leaves the service layer. */
  @Column('text')
  passwordHash!: string;

  @Index()
  @Column('text')
  role!: Role;

  /** ISO 3166-1 alpha-2; only for country_staff. */
  @Column('text', { array: true, default: () => `'{}'` })
  countryCodes!: string[];

  /** Only for partner; the partners table arrives later, hence no foreign key yet. */
  @Column('uuid', { nullable: true })
  partnerId!: string | null;

  @Column('text')
  displayName!: string;

  @Column('text', { default: 'active' })
  status!: UserStatus;

  @Column('int', { default: 0 })
  failedLoginCount!: number;

  @Column('timestamptz', { nullable: true })
  lockedUntil!: Date | null;

  @Column('int', { default: 1 })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
