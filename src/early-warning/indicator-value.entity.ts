import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { VersionedRecord } from '../common/entity/versioned-record';
import { Network } from '../programme/network.entity';
import { sqlIn } from '../programme/programme-enums';
import { Indicator, INDICATORS } from './early-warning-enums';

/**
 * A community indicator of one network for one month. One live value per network, indicator and
 * period: the unique index is partial (archived rows excluded), so archiving a wrong value frees
 * the key for a new one while the archived row stays for the record.
 */
@Entity('indicator_values')
@Index('UQ_indicator_values_network_indicator_period', ['networkId', 'indicator', 'period'], { unique: true, where: '"archived_at" IS NULL' })
@Index(['period', 'id'])
@Check('CHK_indicator_values_indicator', sqlIn('indicator', INDICATORS))
@Check('CHK_indicator_values_period', `"period" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`)
@Check(
  'CHK_indicator_values_value',
  `"value" >= 0 AND ("indicator" <> 'trust_score' OR "value" <= 100) AND ("indicator" NOT IN ('reported_crimes', 'violent_incidents') OR "value" = trunc("value"))`,
)
export class IndicatorValue extends VersionedRecord {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  networkId!: string;

  @ManyToOne(() => Network, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'network_id' })
  network?: Network;

  @Column('text')
  indicator!: Indicator;

  /** `YYYY-MM`. */
  @Column('char', { length: 7 })
  period!: string;

  /** Exact decimal, read as a string by pg; sent to clients as a JSON number. */
  @Column('numeric', { precision: 12, scale: 2 })
  value!: string;

  /**
   * Where the figure comes from, e.g. "District police station monthly report". Free text, so it
   * may name a person (an informant, an officer): PersonalDataCipher, context `indicator_value.source`.
   */
  @Column('text')
  sourceEnc!: string;
}
