import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The last number handed out per country and kind. Incremented with UPDATE … RETURNING inside
 * the creating transaction, so codes are unique and gap-free under concurrency, and never reused
 * (erasure and archiving keep the row and its code).
 */
@Entity('pseudonym_counters')
export class PseudonymCounter {
  @PrimaryColumn('char', { length: 2 })
  countryCode!: string;

  /** 'P' participant, 'S' state actor (police partner). */
  @PrimaryColumn('char', { length: 1 })
  kind!: string;

  @Column('int')
  lastValue!: number;
}
