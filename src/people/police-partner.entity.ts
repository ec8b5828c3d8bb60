import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { VersionedRecord } from '../common/entity/versioned-record';
import { Country } from '../programme/country.entity';
import { sqlIn } from '../programme/programme-enums';
import { Institution, INSTITUTIONS } from './people-enums';

/** A state actor (police, prosecution, judiciary, local government …) taking part in dialogues. */
@Entity('police_partners')
@Index(['countryCode', 'createdAt', 'id'])
@Index('IDX_police_partners_identity_index', ['countryCode', 'identityIndex'])
@Check('CHK_police_partners_institution', sqlIn('institution', INSTITUTIONS))
@Check('CHK_police_partners_erased_identity', `"erased_at" IS NULL OR ("full_name_enc" IS NULL AND "identity_index" IS NULL)`)
export class PolicePartner extends VersionedRecord {
  @PrimaryColumn('uuid')
  id!: string;

  /** e.g. NP-S-000007 */
  @Index('UQ_police_partners_code', { unique: true })
  @Column('text')
  code!: string;

  @Column('char', { length: 2 })
  countryCode!: string;

  @ManyToOne(() => Country, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'country_code' })
  country?: Country;

  /** PersonalDataCipher output (context `police_partner.fullName`); null once erased. */
  @Column('text', { nullable: true })
  fullNameEnc!: string | null;

  @Column('char', { length: 64, nullable: true })
  identityIndex!: string | null;

  @Column('text')
  institution!: Institution;

  @Column('text', { nullable: true })
  rank!: string | null;

  @Column('text', { nullable: true })
  unit!: string | null;

  @Column('text', { nullable: true })
  station!: string | null;

  @Column('timestamptz', { nullable: true })
  erasedAt!: Date | null;
}
