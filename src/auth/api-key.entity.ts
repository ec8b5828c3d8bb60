import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Role } from './principal';

/**
 * A machine client's key: `jsd_<prefix>_<secret>`. The prefix finds the row; only the SHA-256
 * of the secret is stored, and it is compared in constant time.
 */
@Entity('api_keys')
@Index(['createdAt', 'id'])
@Check('CHK_api_keys_role', `"role" IN ('admin', 'hq_analyst', 'country_staff', 'partner')`)
export class ApiKey {
  /** Assigned by the application (randomUUID), so no database extension is needed. */
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Index('UQ_api_keys_prefix', { unique: true })
  @Column('text')
  prefix!: string;

  @Column('char', { length: 64 })
  secretHash!: string;

  @Column('text')
  role!: Role;

  @Column('text', { array: true, default: () => `'{}'` })
  countryCodes!: string[];

  @Column('uuid', { nullable: true })
  partnerId!: string | null;

  /** The admin who created it (no foreign key: an actor id, as in audit_events). */
  @Column('uuid', { nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  lastUsedAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  revokedAt!: Date | null;

  @Column('int', { default: 1 })
  version!: number;
}
