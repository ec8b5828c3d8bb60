import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A country where the programme runs; referred to everywhere by its ISO 3166-1 alpha-2 code. */
@Entity('countries')
export class Country {
  @PrimaryColumn('char', { length: 2 })
  code!: string;

  @Column('text')
  name!: string;

  @Column('text')
  region!: string;

  @Column('date', { nullable: true })
  programmeStartedOn!: string | null;

  @Column('int', { default: 1 })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column('timestamptz', { nullable: true })
  archivedAt!: Date | null;
}
