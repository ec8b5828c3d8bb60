import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cross-country network links become proposals until the other country confirms them.
 *
 * Creating a link to another country's network answered with that network's name (so any id
 * could be tested for existence), and the link appeared in the other country's lists unasked.
 * Now a link has a status: `confirmed` (a link within the caller's own countries, or made by an
 * admin), `proposed` (across countries, until the other side confirms) or `declined`. Existing
 * links were all shown to both sides already, so they are `confirmed`.
 *
 * A proposal keeps the target id as its proposer typed it, even one that names no network, so
 * that proposing to a missing network and to another country's network answer alike: the foreign
 * key on to_network_id goes, and a trigger keeps what it guaranteed for the links that count,
 * the confirmed ones (learning summaries read only those).
 */
export class NetworkLinkProposals1796742019000 implements MigrationInterface {
  name = 'NetworkLinkProposals1796742019000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "network_links" ADD "status" text NOT NULL DEFAULT 'confirmed'`);
    // Only the backfill defaults: every writer states the status it means.
    await queryRunner.query(`ALTER TABLE "network_links" ALTER COLUMN "status" DROP DEFAULT`);
    await queryRunner.query(
      `ALTER TABLE "network_links" ADD CONSTRAINT "CHK_network_links_status" CHECK ("status" IN ('proposed', 'confirmed', 'declined'))`,
    );
    await queryRunner.query(`ALTER TABLE "network_links" DROP CONSTRAINT "FK_079a184c6685954deaca8f80449"`);
    await queryRunner.query(`CREATE FUNCTION network_links_confirmed_target() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = 'confirmed' AND NOT EXISTS (SELECT 1 FROM networks WHERE id = NEW.to_network_id) THEN
          RAISE EXCEPTION 'a confirmed network link must name an existing network' USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER network_links_confirmed_target BEFORE INSERT OR UPDATE OF status, to_network_id ON network_links
      FOR EACH ROW EXECUTE FUNCTION network_links_confirmed_target()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER network_links_confirmed_target ON network_links`);
    await queryRunner.query(`DROP FUNCTION network_links_confirmed_target()`);
    // Without a status every row is a link both sides see: unconfirmed ones are archived, and
    // proposals to ids that name no network cannot be kept under the foreign key at all.
    await queryRunner.query(`UPDATE "network_links" SET "archived_at" = now() WHERE "status" <> 'confirmed' AND "archived_at" IS NULL`);
    await queryRunner.query(`DELETE FROM "network_links" l WHERE NOT EXISTS (SELECT 1 FROM "networks" n WHERE n."id" = l."to_network_id")`);
    await queryRunner.query(
      `ALTER TABLE "network_links" ADD CONSTRAINT "FK_079a184c6685954deaca8f80449" FOREIGN KEY ("to_network_id") REFERENCES "networks"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "network_links" DROP CONSTRAINT "CHK_network_links_status"`);
    await queryRunner.query(`ALTER TABLE "network_links" DROP COLUMN "status"`);
  }
}
