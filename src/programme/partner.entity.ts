import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { VersionedRecord } from '../common/entity/versioned-record';
import { Country } from './country.entity';
import { PARTNER_KINDS, PartnerKind, sqlIn } from './programme-enums';

/** A local partner organisation that runs dialogues and mediates disputes for its networks. */
@Entity('partners')
@Index(['countryCode', 'name'])
@Check('CHK_partners_kind', sqlIn('kind', PARTNER_KINDS))
export class Partner extends VersionedRecord {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('char', { length: 2 })
  countryCode!: string;

  @ManyToOne(() => Country, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'country_code' })
  country?: Country;

  @Column('text')
  name!: string;

  @Column('text')
  kind!: PartnerKind;

  /** When the organisation signed its commitment to act inclusively and impartially. */
  @Column('date', { nullable: true })
  impartialityCommitmentOn!: string | null;
}
