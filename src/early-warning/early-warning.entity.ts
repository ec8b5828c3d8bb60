import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { VersionedRecord } from '../common/entity/versioned-record';
import { Country } from '../programme/country.entity';
import { Network } from '../programme/network.entity';
import { Session } from '../field-work/session.entity';
import { sqlIn } from '../programme/programme-enums';
import { EARLY_WARNING_STATUSES, EarlyWarningStatus, MAX_RISK_FACTOR, SEVERITIES, Severity } from './early-warning-enums';

/** `'{1,2,…,14}'`: the risk factor numbers of the UN framework, for the CHECK constraint. */
const RISK_FACTOR_SET = `'{${Array.from({ length: MAX_RISK_FACTOR }, (_, i) => i + 1).join(',')}}'::smallint[]`;

/**
 * An early-warning report tagged with atrocity risk factors. `networkId` is optional (a report
 * may concern a place no network covers); when set, the network is in the same country. Reports
 * without a network are invisible to partner users, whose scope is their networks. The place and
 * the description may name people (who is threatened, by whom): stored only encrypted.
 */
@Entity('early_warnings')
@Index(['countryCode', 'observedOn', 'id'])
@Index(['networkId'])
// GIN index on risk_factors (for `risk_factors @> ARRAY[n]`): TypeORM cannot declare GIN, so the
// migration creates it and synchronize:false keeps the drift check from dropping it.
@Index('IDX_early_warnings_risk_factors', { synchronize: false })
// Covering index for the impact metrics (migration MetricsRollups).
@Index('IDX_early_warnings_metrics_country', { synchronize: false })
@Check('CHK_early_warnings_severity', sqlIn('severity', SEVERITIES))
@Check('CHK_early_warnings_status', sqlIn('status', EARLY_WARNING_STATUSES))
// Distinctness cannot be said in a CHECK without a function; the API stores a sorted set.
@Check('CHK_early_warnings_risk_factors', `cardinality("risk_factors") >= 1 AND "risk_factors" <@ ${RISK_FACTOR_SET}`)
export class EarlyWarning extends VersionedRecord {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('char', { length: 2 })
  countryCode!: string;

  @ManyToOne(() => Country, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'country_code' })
  country?: Country;

  @Column('uuid', { nullable: true })
  networkId!: string | null;

  @ManyToOne(() => Network, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'network_id' })
  network?: Network;

  @Column('date')
  observedOn!: string;

  /** PersonalDataCipher, context `early_warning.place`. */
  @Column('text', { nullable: true })
  placeEnc!: string | null;

  /** Sorted, distinct numbers 1–14. */
  @Column('smallint', { array: true })
  riskFactors!: number[];

  /** PersonalDataCipher, context `early_warning.description`. */
  @Column('text')
  descriptionEnc!: string;

  @Column('text')
  severity!: Severity;

  @Column('text', { default: 'reported' })
  status!: EarlyWarningStatus;

  /** The dialogue session where the warning was raised, if any (same country). */
  @Column('uuid', { nullable: true })
  sourceSessionId!: string | null;

  @ManyToOne(() => Session, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'source_session_id' })
  sourceSession?: Session;
}
