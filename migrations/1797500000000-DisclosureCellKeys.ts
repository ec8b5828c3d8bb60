import { MigrationInterface, QueryRunner } from 'typeorm';

const STAKEHOLDER_GROUPS = [
  'tribal_elder', 'religious_leader', 'lawyer', 'journalist', 'political_party', 'business', 'writer',
  'minority_group', 'womens_group', 'youth_group', 'former_combatant', 'vigilante_group',
  'idp_representative', 'academic', 'civil_society', 'other',
];

const SESSION_MONTH_KEYS = ['named_attendances_key', 'unnamed_attendances_key'];
const PEOPLE_KEYS = ['unique_participants_key', 'women_key', ...STAKEHOLDER_GROUPS.map((g) => `sg_${g}_key`)];

/** The tables whose records are counted by a people figure of GET /metrics/impact. */
const KEYED_RECORDS = ['participants', 'sessions', 'session_attendance'];

/**
 * Record keys for cell-key perturbation (docs/metrics.md, "Disclosure control"). Every record a
 * people figure counts carries a fixed random key 0–255 — a participant (distinct people), an
 * attendance row (named attendances), a session (its unnamed attendees) — and the metrics rollups
 * keep the sum of the keys of what they count beside each count, so that a published cell's noise
 * is a fixed function of exactly who is in it, whichever table answered. A function as the default
 * so that the entities can name the same default (the schema check compares them as text).
 *
 * The last statement marks every month with sessions dirty: the worker recomputes their rollups
 * with the key sums, and until it has, questions read those months from the raw rows.
 */
export class DisclosureCellKeys1797500000000 implements MigrationInterface {
  name = 'DisclosureCellKeys1797500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION jsd_cell_key() RETURNS smallint LANGUAGE sql VOLATILE AS $$ SELECT CAST(floor(random() * 256) AS smallint) $$`);
    for (const table of KEYED_RECORDS) {
      await queryRunner.query(`ALTER TABLE "${table}" ADD "cell_key" smallint NOT NULL DEFAULT jsd_cell_key()`);
    }
    for (const table of ['metrics_session_months', 'metrics_country_months']) {
      for (const column of SESSION_MONTH_KEYS) await queryRunner.query(`ALTER TABLE "${table}" ADD "${column}" bigint NOT NULL DEFAULT 0`);
    }
    for (const column of PEOPLE_KEYS) await queryRunner.query(`ALTER TABLE "metrics_people_periods" ADD "${column}" bigint NOT NULL DEFAULT 0`);
    await queryRunner.query(`INSERT INTO metrics_dirty_months (country_code, month)
      SELECT DISTINCT country_code, CAST(date_trunc('month', held_on) AS date) FROM sessions`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const column of PEOPLE_KEYS) await queryRunner.query(`ALTER TABLE "metrics_people_periods" DROP COLUMN "${column}"`);
    for (const table of ['metrics_session_months', 'metrics_country_months']) {
      for (const column of SESSION_MONTH_KEYS) await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "${column}"`);
    }
    for (const table of KEYED_RECORDS) await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "cell_key"`);
    await queryRunner.query(`DROP FUNCTION jsd_cell_key()`);
  }
}
