import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { VersionedRecord } from '../common/entity/versioned-record';
import { Country } from './country.entity';
import { NETWORK_LEVELS, NETWORK_STATUSES, NetworkLevel, NetworkStatus, sqlIn } from './programme-enums';

/**
 * A standing dialogue group in a city, district or village, or a regional or national network
 * (the national focal group) above them. `parentId` stays within one country; no cycles.
 */
@Entity('networks')
@Index(['countryCode', 'name'])
@Index(['parentId'])
@Check('CHK_networks_level', sqlIn('level', NETWORK_LEVELS))
@Check('CHK_networks_status', sqlIn('status', NETWORK_STATUSES))
@Check('CHK_networks_not_own_parent', `"parent_id" IS NULL OR "parent_id" <> "id"`)
export class Network extends VersionedRecord {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('char', { length: 2 })
  countryCode!: string;

  // Relations exist for their foreign keys; reads use the id columns and explicit queries.
  @ManyToOne(() => Country, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'country_code' })
  country?: Country;

  @Column('text')
  name!: string;

  @Column('text')
  level!: NetworkLevel;

  @Column('uuid', { nullable: true })
  parentId!: string | null;

  @ManyToOne(() => Network, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_id' })
  parent?: Network;

  /** Governorate, province, district … as the country names it. */
  @Column('text')
  adminArea!: string;

  @Column('numeric', { precision: 9, scale: 6, nullable: true })
  lat!: string | null;

  @Column('numeric', { precision: 9, scale: 6, nullable: true })
  lon!: string | null;

  @Column('date')
  establishedOn!: string;

  @Column('text', { default: 'active' })
  status!: NetworkStatus;
}
