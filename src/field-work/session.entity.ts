import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { VersionedRecord } from '../common/entity/versioned-record';
import { Country } from '../programme/country.entity';
import { Network } from '../programme/network.entity';
import { Partner } from '../programme/partner.entity';
import { sqlIn } from '../programme/programme-enums';
import { SESSION_KINDS, SESSION_TOPICS, SessionKind, SessionTopic } from './field-work-enums';
import { CellKeyColumn } from '../common/entity/cell-key-column';

/**
 * A dialogue session held by a network. `countryCode` is copied from the network when the
 * session is created, so scoping and reporting filter on the session row alone. Its free text
 * (title, place, summary) may name people and is stored only encrypted, in one value
 * (`textEnc`, see session-text.ts).
 */
@Entity('sessions')
@Index(['networkId', 'heldOn'])
@Index(['countryCode', 'heldOn'])
@Index(['facilitatorPartnerId'])
@Index('IDX_sessions_topics', { synchronize: false })
// Covering index of the impact metrics' session scan; see migration MetricsSessionsCoveringIndex.
@Index('IDX_sessions_metrics_country', { synchronize: false })
@Check('CHK_sessions_kind', sqlIn('kind', SESSION_KINDS))
@Check('CHK_sessions_topics', `"topics" <@ ARRAY[${SESSION_TOPICS.map((t) => `'${t}'`).join(', ')}]::text[]`)
@Check('CHK_sessions_unnamed', `"unnamed_women" >= 0 AND "unnamed_men" >= 0 AND "unnamed_youth" >= 0`)
@Check('CHK_sessions_duration', `"duration_minutes" IS NULL OR "duration_minutes" > 0`)
export class Session extends VersionedRecord {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  networkId!: string;

  @ManyToOne(() => Network, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'network_id' })
  network?: Network;

  @Column('char', { length: 2 })
  countryCode!: string;

  @ManyToOne(() => Country, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'country_code' })
  country?: Country;

  /** PersonalDataCipher, context `session.text`: the title, place and summary as one JSON object. */
  @Column('text')
  textEnc!: string;

  @Column('text')
  kind!: SessionKind;

  @Column('date')
  heldOn!: string;

  @Column('int', { nullable: true })
  durationMinutes!: number | null;

  @Column('uuid', { nullable: true })
  facilitatorPartnerId!: string | null;

  @ManyToOne(() => Partner, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'facilitator_partner_id' })
  facilitatorPartner?: Partner;

  @Column('text', { array: true, default: () => "'{}'" })
  topics!: SessionTopic[];

  /** People counted but not named (crowds at outreach events). */
  @Column('int', { default: 0 })
  unnamedWomen!: number;

  @Column('int', { default: 0 })
  unnamedMen!: number;

  @Column('int', { default: 0 })
  unnamedYouth!: number;

  /** Stands for the session's unnamed attendees in attendance cells of the metrics (docs/metrics.md). */
  @CellKeyColumn()
  cellKey?: number;
}
