import { Column, Entity, PrimaryColumn } from 'typeorm';
import { VersionedRecord } from '../common/entity/versioned-record';

/** A country where the programme runs; referred to everywhere by its ISO 3166-1 alpha-2 code. */
@Entity('countries')
export class Country extends VersionedRecord {
  @PrimaryColumn('char', { length: 2 })
  code!: string;

  @Column('text')
  name!: string;

  @Column('text')
  region!: string;

  @Column('date', { nullable: true })
  programmeStartedOn!: string | null;
}
