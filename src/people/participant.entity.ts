import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { VersionedRecord } from '../common/entity/versioned-record';
import { Country } from '../programme/country.entity';
import { sqlIn } from '../programme/programme-enums';
import { AGE_BANDS, AgeBand, Gender, GENDERS, STAKEHOLDER_GROUPS, StakeholderGroup } from './people-enums';
import { CellKeyColumn } from '../common/entity/cell-key-column';

/**
 * A non-state actor. Identity (`fullName`, `phone`) is stored only encrypted and is wiped for
 * good on erasure; the pseudonymous `code` and the statistical attributes stay.
 */
@Entity('participants')
@Index(['countryCode', 'createdAt', 'id'])
@Index('IDX_participants_identity_index', ['countryCode', 'identityIndex'])
@Check('CHK_participants_gender', sqlIn('gender', GENDERS))
@Check('CHK_participants_age_band', sqlIn('age_band', AGE_BANDS))
@Check('CHK_participants_stakeholder_group', sqlIn('stakeholder_group', STAKEHOLDER_GROUPS))
@Check('CHK_participants_erased_identity', `"erased_at" IS NULL OR ("full_name_enc" IS NULL AND "phone_enc" IS NULL AND "identity_index" IS NULL)`)
export class Participant extends VersionedRecord {
  @PrimaryColumn('uuid')
  id!: string;

  /** e.g. NP-P-000042: generated per country, unique, never reused. */
  @Index('UQ_participants_code', { unique: true })
  @Column('text')
  code!: string;

  @Column('char', { length: 2 })
  countryCode!: string;

  @ManyToOne(() => Country, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'country_code' })
  country?: Country;

  /** PersonalDataCipher output (context `participant.fullName`); null once erased. */
  @Column('text', { nullable: true })
  fullNameEnc!: string | null;

  @Column('text', { nullable: true })
  phoneEnc!: string | null;

  /** Keyed hash of the normalised name and phone, to find duplicates without clear text. */
  @Column('char', { length: 64, nullable: true })
  identityIndex!: string | null;

  @Column('text')
  gender!: Gender;

  @Column('text')
  ageBand!: AgeBand;

  @Column('text')
  stakeholderGroup!: StakeholderGroup;

  @Column('text', { nullable: true })
  affiliation!: string | null;

  @Column('boolean', { default: false })
  consentGiven!: boolean;

  @Column('date', { nullable: true })
  consentRecordedOn!: string | null;

  @Column('text', { nullable: true })
  consentScope!: string | null;

  @Column('timestamptz', { nullable: true })
  erasedAt!: Date | null;

  /** Counted in distinct-people cells of the metrics (docs/metrics.md). */
  @CellKeyColumn()
  cellKey?: number;
}
