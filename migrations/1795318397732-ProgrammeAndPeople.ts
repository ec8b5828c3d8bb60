import { MigrationInterface, QueryRunner } from 'typeorm';

export class ProgrammeAndPeople1795318397732 implements MigrationInterface {
  name = 'ProgrammeAndPeople1795318397732';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "networks" ("id" uuid NOT NULL, "country_code" character(2) NOT NULL, "name" text NOT NULL, "level" text NOT NULL, "parent_id" uuid, "admin_area" text NOT NULL, "lat" numeric(9,6), "lon" numeric(9,6), "established_on" date NOT NULL, "status" text NOT NULL DEFAULT 'active', "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "archived_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_networks_not_own_parent" CHECK ("parent_id" IS NULL OR "parent_id" <> "id"), CONSTRAINT "CHK_networks_status" CHECK ("status" IN ('active', 'dormant', 'closed')), CONSTRAINT "CHK_networks_level" CHECK ("level" IN ('national', 'regional', 'district', 'community')), CONSTRAINT "PK_61b1ee921bf79550d9d4742b9f7" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_ef5ed374906d278316e34f16fd" ON "networks"  ("parent_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_58f2a11f00d6738d2cd952f091" ON "networks"  ("country_code", "name") `);
    await queryRunner.query(`CREATE TABLE "participants" ("id" uuid NOT NULL, "code" text NOT NULL, "country_code" character(2) NOT NULL, "full_name_enc" text, "phone_enc" text, "identity_index" character(64), "gender" text NOT NULL, "age_band" text NOT NULL, "stakeholder_group" text NOT NULL, "affiliation" text, "consent_given" boolean NOT NULL DEFAULT false, "consent_recorded_on" date, "consent_scope" text, "erased_at" TIMESTAMP WITH TIME ZONE, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "archived_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_participants_erased_identity" CHECK ("erased_at" IS NULL OR ("full_name_enc" IS NULL AND "phone_enc" IS NULL AND "identity_index" IS NULL)), CONSTRAINT "CHK_participants_stakeholder_group" CHECK ("stakeholder_group" IN ('tribal_elder', 'religious_leader', 'lawyer', 'journalist', 'political_party', 'business', 'writer', 'minority_group', 'womens_group', 'youth_group', 'former_combatant', 'vigilante_group', 'idp_representative', 'academic', 'civil_society', 'other')), CONSTRAINT "CHK_participants_age_band" CHECK ("age_band" IN ('under_18', '18_29', '30_44', '45_59', '60_plus', 'undisclosed')), CONSTRAINT "CHK_participants_gender" CHECK ("gender" IN ('female', 'male', 'other', 'undisclosed')), CONSTRAINT "PK_1cda06c31eec1c95b3365a0283f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_participants_code" ON "participants"  ("code") `);
    await queryRunner.query(`CREATE INDEX "IDX_participants_identity_index" ON "participants"  ("country_code", "identity_index") `);
    await queryRunner.query(`CREATE INDEX "IDX_9a5df36f0e152ab8db6e13bc66" ON "participants"  ("country_code", "created_at", "id") `);
    await queryRunner.query(`CREATE TABLE "participant_networks" ("participant_id" uuid NOT NULL, "network_id" uuid NOT NULL, "joined_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_50c84cedff99ff76fee2b80c29b" PRIMARY KEY ("participant_id", "network_id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_3b5fd3753e9e37bc11b15db8cd" ON "participant_networks"  ("network_id") `);
    await queryRunner.query(`CREATE TABLE "police_partners" ("id" uuid NOT NULL, "code" text NOT NULL, "country_code" character(2) NOT NULL, "full_name_enc" text, "identity_index" character(64), "institution" text NOT NULL, "rank" text, "unit" text, "station" text, "erased_at" TIMESTAMP WITH TIME ZONE, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "archived_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_police_partners_erased_identity" CHECK ("erased_at" IS NULL OR ("full_name_enc" IS NULL AND "identity_index" IS NULL)), CONSTRAINT "CHK_police_partners_institution" CHECK ("institution" IN ('police', 'prosecution', 'judiciary', 'local_government', 'military', 'other')), CONSTRAINT "PK_24eeb63a1372f44f19249d5077f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_police_partners_code" ON "police_partners"  ("code") `);
    await queryRunner.query(`CREATE INDEX "IDX_police_partners_identity_index" ON "police_partners"  ("country_code", "identity_index") `);
    await queryRunner.query(`CREATE INDEX "IDX_60561faedb62386c053e264c06" ON "police_partners"  ("country_code", "created_at", "id") `);
    await queryRunner.query(`CREATE TABLE "police_partner_networks" ("police_partner_id" uuid NOT NULL, "network_id" uuid NOT NULL, "joined_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_eda336696a760dc5de791ef9b6c" PRIMARY KEY ("police_partner_id", "network_id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_de06f1a4c0acb4fc6852c0431a" ON "police_partner_networks"  ("network_id") `);
    await queryRunner.query(`CREATE TABLE "pseudonym_counters" ("country_code" character(2) NOT NULL, "kind" character(1) NOT NULL, "last_value" integer NOT NULL, CONSTRAINT "PK_7e5245a865a4a498b8483087a66" PRIMARY KEY ("country_code", "kind"))`);
    await queryRunner.query(`CREATE TABLE "network_links" ("id" uuid NOT NULL, "from_network_id" uuid NOT NULL, "to_network_id" uuid NOT NULL, "kind" text NOT NULL, "since" date NOT NULL, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "archived_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_network_links_distinct" CHECK ("from_network_id" <> "to_network_id"), CONSTRAINT "CHK_network_links_kind" CHECK ("kind" IN ('peer', 'mentoring', 'exchange')), CONSTRAINT "PK_db1d87e7a503f56a12b6a045b6a" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_079a184c6685954deaca8f8044" ON "network_links"  ("to_network_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_network_links_pair_kind" ON "network_links"  ("from_network_id", "to_network_id", "kind") `);
    await queryRunner.query(`CREATE TABLE "partners" ("id" uuid NOT NULL, "country_code" character(2) NOT NULL, "name" text NOT NULL, "kind" text NOT NULL, "impartiality_commitment_on" date, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "archived_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_partners_kind" CHECK ("kind" IN ('csos', 'cbo', 'ngo', 'faith_based', 'media', 'academic', 'other')), CONSTRAINT "PK_998645b20820e4ab99aeae03b41" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_57605af24ed3e04764bb58abfc" ON "partners"  ("country_code", "name") `);
    await queryRunner.query(`CREATE TABLE "partner_networks" ("partner_id" uuid NOT NULL, "network_id" uuid NOT NULL, "assigned_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_25a1deb61685b920789d73598eb" PRIMARY KEY ("partner_id", "network_id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_196f2c91c087ed9fcce500806c" ON "partner_networks"  ("network_id") `);
    await queryRunner.query(`ALTER TABLE "networks" ADD CONSTRAINT "FK_85ee30c12833211ae4f7a3e62bc" FOREIGN KEY ("country_code") REFERENCES "countries"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "networks" ADD CONSTRAINT "FK_ef5ed374906d278316e34f16fdb" FOREIGN KEY ("parent_id") REFERENCES "networks"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "participants" ADD CONSTRAINT "FK_694e5400f55b2fef439444748e0" FOREIGN KEY ("country_code") REFERENCES "countries"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "participant_networks" ADD CONSTRAINT "FK_903bcc1025cc11ebf12e7b7b7e9" FOREIGN KEY ("participant_id") REFERENCES "participants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "participant_networks" ADD CONSTRAINT "FK_3b5fd3753e9e37bc11b15db8cdc" FOREIGN KEY ("network_id") REFERENCES "networks"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "police_partners" ADD CONSTRAINT "FK_3b0676e7f12fd6a7be97fb81e0d" FOREIGN KEY ("country_code") REFERENCES "countries"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "police_partner_networks" ADD CONSTRAINT "FK_4a2e73295ba77fbc99aa354ded8" FOREIGN KEY ("police_partner_id") REFERENCES "police_partners"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "police_partner_networks" ADD CONSTRAINT "FK_de06f1a4c0acb4fc6852c0431aa" FOREIGN KEY ("network_id") REFERENCES "networks"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "network_links" ADD CONSTRAINT "FK_57b6ae3813245c9587842eefbd5" FOREIGN KEY ("from_network_id") REFERENCES "networks"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "network_links" ADD CONSTRAINT "FK_079a184c6685954deaca8f80449" FOREIGN KEY ("to_network_id") REFERENCES "networks"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "partners" ADD CONSTRAINT "FK_da6d0ffe7fcdecafb75cef7557f" FOREIGN KEY ("country_code") REFERENCES "countries"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "partner_networks" ADD CONSTRAINT "FK_783602c25514476088b65853fdb" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "partner_networks" ADD CONSTRAINT "FK_196f2c91c087ed9fcce500806c3" FOREIGN KEY ("network_id") REFERENCES "networks"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "partner_networks" DROP CONSTRAINT "FK_196f2c91c087ed9fcce500806c3"`);
    await queryRunner.query(`ALTER TABLE "partner_networks" DROP CONSTRAINT "FK_783602c25514476088b65853fdb"`);
    await queryRunner.query(`ALTER TABLE "partners" DROP CONSTRAINT "FK_da6d0ffe7fcdecafb75cef7557f"`);
    await queryRunner.query(`ALTER TABLE "network_links" DROP CONSTRAINT "FK_079a184c6685954deaca8f80449"`);
    await queryRunner.query(`ALTER TABLE "network_links" DROP CONSTRAINT "FK_57b6ae3813245c9587842eefbd5"`);
    await queryRunner.query(`ALTER TABLE "police_partner_networks" DROP CONSTRAINT "FK_de06f1a4c0acb4fc6852c0431aa"`);
    await queryRunner.query(`ALTER TABLE "police_partner_networks" DROP CONSTRAINT "FK_4a2e73295ba77fbc99aa354ded8"`);
    await queryRunner.query(`ALTER TABLE "police_partners" DROP CONSTRAINT "FK_3b0676e7f12fd6a7be97fb81e0d"`);
    await queryRunner.query(`ALTER TABLE "participant_networks" DROP CONSTRAINT "FK_3b5fd3753e9e37bc11b15db8cdc"`);
    await queryRunner.query(`ALTER TABLE "participant_networks" DROP CONSTRAINT "FK_903bcc1025cc11ebf12e7b7b7e9"`);
    await queryRunner.query(`ALTER TABLE "participants" DROP CONSTRAINT "FK_694e5400f55b2fef439444748e0"`);
    await queryRunner.query(`ALTER TABLE "networks" DROP CONSTRAINT "FK_ef5ed374906d278316e34f16fdb"`);
    await queryRunner.query(`ALTER TABLE "networks" DROP CONSTRAINT "FK_85ee30c12833211ae4f7a3e62bc"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_196f2c91c087ed9fcce500806c"`);
    await queryRunner.query(`DROP TABLE "partner_networks"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_57605af24ed3e04764bb58abfc"`);
    await queryRunner.query(`DROP TABLE "partners"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_network_links_pair_kind"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_079a184c6685954deaca8f8044"`);
    await queryRunner.query(`DROP TABLE "network_links"`);
    await queryRunner.query(`DROP TABLE "pseudonym_counters"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_de06f1a4c0acb4fc6852c0431a"`);
    await queryRunner.query(`DROP TABLE "police_partner_networks"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_60561faedb62386c053e264c06"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_police_partners_identity_index"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_police_partners_code"`);
    await queryRunner.query(`DROP TABLE "police_partners"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3b5fd3753e9e37bc11b15db8cd"`);
    await queryRunner.query(`DROP TABLE "participant_networks"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9a5df36f0e152ab8db6e13bc66"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_participants_identity_index"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_participants_code"`);
    await queryRunner.query(`DROP TABLE "participants"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_58f2a11f00d6738d2cd952f091"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ef5ed374906d278316e34f16fd"`);
    await queryRunner.query(`DROP TABLE "networks"`);
  }
}
