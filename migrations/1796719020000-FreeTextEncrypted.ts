import { MigrationInterface, QueryRunner } from 'typeorm';
import { personalDataCipherFrom } from '../src/common/crypto/cipher-from-config';
import { PersonalDataCipher } from '../src/common/crypto/personal-data-cipher';
import { loadConfig } from '../src/config/app-config';

/**
 * Free text is personal data (issue 19): every column a person can type a name into is replaced
 * by a `*_enc` column holding PersonalDataCipher output, and the clear column is dropped.
 *
 * Why the backfill is done here, in Node, inside the migration: the cipher (AES-256-GCM with the
 * configured key, the context as associated data) exists only in Node, and PostgreSQL has no
 * AES-GCM to do it in SQL. Doing it in the migration keeps the change atomic: `migration:run`
 * already runs each migration in its own transaction, so either every row is encrypted and the
 * clear columns are gone, or nothing changed; no release has to read both shapes, and no clear
 * column outlives the upgrade waiting for a separate backfill step that an operator might skip.
 * The migration therefore needs DATA_ENCRYPTION_KEY, like the API (the `migrate` service in
 * docker-compose has the same environment); it reads the configuration only when there are rows
 * to convert. Rows are converted in keyset batches of 2,000. The tables' own triggers (the
 * metrics' dirty-month markers) are switched off while the text is rewritten: the text is not a
 * figure, so no month's figures change.
 *
 * The session's title, place and summary become one value (`sessions.text_enc`, a JSON object):
 * a list page shows 50 sessions and every value costs a decryption, so one per session instead
 * of three keeps GET /sessions fast.
 *
 * Stored learning summaries copied initiative titles into their content; the titles are removed
 * (the summaries no longer carry them). `down` restores the clear columns from the ciphertexts
 * but not those titles: re-run the summaries of a period to get them back.
 */
interface Move {
  table: string;
  /** Clear columns and whether they were NOT NULL. */
  clear: { column: string; notNull: boolean }[];
  enc: string;
  context: string;
  notNull: boolean;
  /** Several clear columns sealed as one JSON object: JSON key per clear column. */
  combined?: Record<string, string>;
}

const MOVES: Move[] = [
  {
    table: 'sessions',
    clear: [{ column: 'title', notNull: true }, { column: 'place', notNull: false }, { column: 'summary', notNull: false }],
    enc: 'text_enc',
    context: 'session.text',
    notNull: true,
    combined: { title: 'title', place: 'place', summary: 'summary' },
  },
  { table: 'action_points', clear: [{ column: 'description', notNull: true }], enc: 'description_enc', context: 'action_point.description', notNull: true },
  { table: 'early_warnings', clear: [{ column: 'place', notNull: false }], enc: 'place_enc', context: 'early_warning.place', notNull: false },
  { table: 'early_warnings', clear: [{ column: 'description', notNull: true }], enc: 'description_enc', context: 'early_warning.description', notNull: true },
  { table: 'early_warning_history', clear: [{ column: 'note', notNull: true }], enc: 'note_enc', context: 'early_warning.historyNote', notNull: true },
  { table: 'indicator_values', clear: [{ column: 'source', notNull: true }], enc: 'source_enc', context: 'indicator_value.source', notNull: true },
  { table: 'initiatives', clear: [{ column: 'title', notNull: true }], enc: 'title_enc', context: 'initiative.title', notNull: true },
  {
    table: 'initiatives',
    clear: [{ column: 'problem_statement', notNull: true }],
    enc: 'problem_statement_enc',
    context: 'initiative.problemStatement',
    notNull: true,
  },
  { table: 'initiative_history', clear: [{ column: 'note', notNull: false }], enc: 'note_enc', context: 'initiative.historyNote', notNull: false },
  { table: 'milestones', clear: [{ column: 'description', notNull: true }], enc: 'description_enc', context: 'milestone.description', notNull: true },
  { table: 'disbursements', clear: [{ column: 'reference', notNull: false }], enc: 'reference_enc', context: 'disbursement.reference', notNull: false },
  {
    table: 'disputes',
    clear: [{ column: 'referral_reference', notNull: false }],
    enc: 'referral_reference_enc',
    context: 'dispute.referralReference',
    notNull: false,
  },
];

const BATCH = 2_000;

export class FreeTextEncrypted1796719020000 implements MigrationInterface {
  name = 'FreeTextEncrypted1796719020000';
  private cipher?: PersonalDataCipher;

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const move of MOVES) {
      await queryRunner.query(`ALTER TABLE "${move.table}" ADD "${move.enc}" text`);
      await this.rewrite(queryRunner, move.table, move.clear.map((c) => c.column), [move.enc], (row) => {
        const sealed = move.combined
          ? JSON.stringify(Object.fromEntries(Object.entries(move.combined).map(([key, column]) => [key, row[column] ?? null])))
          : row[move.clear[0].column];
        return [sealed === null ? null : this.cipherOf().encrypt(sealed, move.context)];
      });
      if (move.notNull) await queryRunner.query(`ALTER TABLE "${move.table}" ALTER COLUMN "${move.enc}" SET NOT NULL`);
      for (const { column } of move.clear) await queryRunner.query(`ALTER TABLE "${move.table}" DROP COLUMN "${column}"`);
    }
    await stripSummaryTitles(queryRunner);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const move of [...MOVES].reverse()) {
      for (const { column } of move.clear) await queryRunner.query(`ALTER TABLE "${move.table}" ADD "${column}" text`);
      await this.rewrite(queryRunner, move.table, [move.enc], move.clear.map((c) => c.column), (row) => {
        const stored = row[move.enc];
        const clear = stored === null ? null : this.cipherOf().decrypt(stored, move.context);
        if (!move.combined) return [clear];
        const values = clear === null ? {} : (JSON.parse(clear) as Record<string, string | null>);
        return Object.keys(move.combined).map((key) => values[key] ?? null);
      });
      for (const { column, notNull } of move.clear) {
        if (notNull) await queryRunner.query(`ALTER TABLE "${move.table}" ALTER COLUMN "${column}" SET NOT NULL`);
      }
      await queryRunner.query(`ALTER TABLE "${move.table}" DROP COLUMN "${move.enc}"`);
    }
  }

  /** Reads `from` and writes `to` (computed in Node) for every row, in keyset batches by id, with the table's triggers off. */
  private async rewrite(
    queryRunner: QueryRunner,
    table: string,
    from: string[],
    to: string[],
    convert: (row: Record<string, string | null>) => (string | null)[],
  ): Promise<void> {
    await queryRunner.query(`ALTER TABLE "${table}" DISABLE TRIGGER USER`);
    let last: string | null = null;
    for (;;) {
      const rows = (await queryRunner.query(
        `SELECT id, ${from.map((c) => `"${c}"`).join(', ')} FROM "${table}" WHERE ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id LIMIT ${BATCH}`,
        [last],
      )) as (Record<string, string | null> & { id: string })[];
      if (!rows.length) break;
      const converted = rows.map(convert);
      const columns = to.map((column, i) => `$${i + 2}::text[]`).join(', ');
      await queryRunner.query(
        `UPDATE "${table}" t SET ${to.map((c, i) => `"${c}" = u.v${i}`).join(', ')}
           FROM unnest($1::uuid[], ${columns}) AS u(id, ${to.map((_, i) => `v${i}`).join(', ')})
          WHERE t.id = u.id`,
        [rows.map((r) => r.id), ...to.map((_, i) => converted.map((values) => values[i]))],
      );
      last = rows[rows.length - 1].id;
    }
    await queryRunner.query(`ALTER TABLE "${table}" ENABLE TRIGGER USER`);
  }

  /** Made on first use: an empty database (a new install, the test template) needs no key. */
  private cipherOf(): PersonalDataCipher {
    this.cipher ??= personalDataCipherFrom(loadConfig());
    return this.cipher;
  }
}

const WITHOUT_TITLES = `(SELECT coalesce(jsonb_agg(x.item - 'title' ORDER BY x.ord), '[]'::jsonb)
                          FROM jsonb_array_elements(%s) WITH ORDINALITY AS x(item, ord))`;

/** Learning summaries stop copying initiative titles (free text) into what hq_analyst reads. */
async function stripSummaryTitles(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`UPDATE learning_summaries
       SET content = jsonb_set(content, '{initiativesCompleted,items}', ${WITHOUT_TITLES.replace('%s', `content->'initiativesCompleted'->'items'`)})
     WHERE jsonb_path_exists(content, '$.initiativesCompleted.items[*].title')`);
  await queryRunner.query(`UPDATE learning_summary_cross_country
       SET content = jsonb_set(content, '{countries}', (
         SELECT coalesce(jsonb_object_agg(e.code, CASE WHEN jsonb_path_exists(e.country, '$.initiativesCompleted.items[*].title')
                  THEN jsonb_set(e.country, '{initiativesCompleted,items}', ${WITHOUT_TITLES.replace('%s', `e.country->'initiativesCompleted'->'items'`)})
                  ELSE e.country END), '{}'::jsonb)
           FROM jsonb_each(content->'countries') AS e(code, country)))
     WHERE jsonb_path_exists(content, '$.countries.*.initiativesCompleted.items[*].title')`);
}
