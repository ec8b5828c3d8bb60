import { MigrationInterface, QueryRunner } from 'typeorm';

export class Disputes1795320621314 implements MigrationInterface {
  name = 'Disputes1795320621314';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "disputes" ("id" uuid NOT NULL, "network_id" uuid NOT NULL, "country_code" character(2) NOT NULL, "reported_by_partner_id" uuid NOT NULL, "reported_on" date NOT NULL, "category" text NOT NULL, "description_enc" text NOT NULL, "severity" text NOT NULL, "violence_risk" text NOT NULL, "status" text NOT NULL DEFAULT 'reported', "resolution_terms_enc" text, "resolution_agreed_on" date, "resolution_follow_up_on" date, "referral_to" text, "referral_reference" text, "resolved_on" date, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "archived_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_disputes_referred" CHECK ("status" <> 'referred' OR "referral_to" IS NOT NULL), CONSTRAINT "CHK_disputes_resolved" CHECK ("status" <> 'resolved' OR ("resolution_agreed_on" IS NOT NULL AND "resolved_on" IS NOT NULL)), CONSTRAINT "CHK_disputes_follow_up" CHECK ("resolution_follow_up_on" IS NULL OR "resolution_follow_up_on" >= "resolution_agreed_on"), CONSTRAINT "CHK_disputes_resolution" CHECK ("resolution_agreed_on" IS NULL OR ("resolution_agreed_on" >= "reported_on" AND "resolution_terms_enc" IS NOT NULL)), CONSTRAINT "CHK_disputes_referral_to" CHECK ("referral_to" IS NULL OR "referral_to" IN ('police', 'court', 'prosecution', 'local_government', 'other')), CONSTRAINT "CHK_disputes_status" CHECK ("status" IN ('reported', 'in_mediation', 'escalated', 'resolved', 'referred', 'withdrawn', 'closed')), CONSTRAINT "CHK_disputes_violence_risk" CHECK ("violence_risk" IN ('none', 'low', 'medium', 'high', 'imminent')), CONSTRAINT "CHK_disputes_severity" CHECK ("severity" IN ('low', 'medium', 'high', 'critical')), CONSTRAINT "CHK_disputes_category" CHECK ("category" IN ('land', 'family', 'tribal', 'sectarian', 'religious', 'natural_resources', 'property', 'police_community', 'idp_host', 'commercial', 'other')), CONSTRAINT "PK_3c97580d01c1a4b0b345c42a107" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_2aaf7eca463406e0d594f36c18" ON "disputes"  ("reported_by_partner_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_aef3234bd2b5af8c3479692e63" ON "disputes"  ("network_id", "status") `);
    await queryRunner.query(`CREATE INDEX "IDX_604e8a6a7963204c91ea6a7af9" ON "disputes"  ("country_code", "reported_on") `);
    await queryRunner.query(`CREATE TABLE "dispute_history" ("id" uuid NOT NULL, "dispute_id" uuid NOT NULL, "from_status" text, "to_status" text NOT NULL, "note_enc" text, "actor_kind" text NOT NULL, "actor_id" uuid, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "CHK_dispute_history_to" CHECK ("to_status" IN ('reported', 'in_mediation', 'escalated', 'resolved', 'referred', 'withdrawn', 'closed')), CONSTRAINT "PK_0b076f0de9a4794c94402d007ec" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_578f06a0bcb39b5443739a7558" ON "dispute_history"  ("dispute_id", "occurred_at") `);
    await queryRunner.query(`CREATE TABLE "dispute_mediators" ("dispute_id" uuid NOT NULL, "participant_id" uuid NOT NULL, CONSTRAINT "PK_3dc75c6231c8c7ed56c37cd3c4f" PRIMARY KEY ("dispute_id", "participant_id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_ee537e1d9c1cbedc5a5c79bffb" ON "dispute_mediators"  ("participant_id") `);
    await queryRunner.query(`CREATE TABLE "dispute_parties" ("dispute_id" uuid NOT NULL, "position" smallint NOT NULL, "label_enc" text NOT NULL, "participant_id" uuid, CONSTRAINT "PK_51e14933af5ab45b514254e17e5" PRIMARY KEY ("dispute_id", "position"))`);
    await queryRunner.query(`CREATE INDEX "IDX_5ba93ac8efa747342ad4c1cd28" ON "dispute_parties"  ("participant_id") `);
    await queryRunner.query(`CREATE TABLE "dispute_sessions" ("dispute_id" uuid NOT NULL, "session_id" uuid NOT NULL, CONSTRAINT "PK_8ee40c113cb66bd9a375f69b5f1" PRIMARY KEY ("dispute_id", "session_id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_278dc260c3c9ad1779814f8730" ON "dispute_sessions"  ("session_id") `);
    await queryRunner.query(`ALTER TABLE "disputes" ADD CONSTRAINT "FK_a44d37ee80cd84fb33a564cc1e5" FOREIGN KEY ("network_id") REFERENCES "networks"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "disputes" ADD CONSTRAINT "FK_5481e60db0145828acb9f2c1dd4" FOREIGN KEY ("country_code") REFERENCES "countries"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "disputes" ADD CONSTRAINT "FK_2aaf7eca463406e0d594f36c18d" FOREIGN KEY ("reported_by_partner_id") REFERENCES "partners"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "dispute_history" ADD CONSTRAINT "FK_dddba48e982cc9902f8ca677866" FOREIGN KEY ("dispute_id") REFERENCES "disputes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "dispute_mediators" ADD CONSTRAINT "FK_076c09618125dc69db5ea3f670e" FOREIGN KEY ("dispute_id") REFERENCES "disputes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "dispute_mediators" ADD CONSTRAINT "FK_ee537e1d9c1cbedc5a5c79bffb7" FOREIGN KEY ("participant_id") REFERENCES "participants"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "dispute_parties" ADD CONSTRAINT "FK_3e989f9d6d73e01927043fd8dad" FOREIGN KEY ("dispute_id") REFERENCES "disputes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "dispute_parties" ADD CONSTRAINT "FK_5ba93ac8efa747342ad4c1cd281" FOREIGN KEY ("participant_id") REFERENCES "participants"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "dispute_sessions" ADD CONSTRAINT "FK_7f7a299b73620244f7d8f670cab" FOREIGN KEY ("dispute_id") REFERENCES "disputes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "dispute_sessions" ADD CONSTRAINT "FK_278dc260c3c9ad1779814f87301" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "dispute_sessions" DROP CONSTRAINT "FK_278dc260c3c9ad1779814f87301"`);
    await queryRunner.query(`ALTER TABLE "dispute_sessions" DROP CONSTRAINT "FK_7f7a299b73620244f7d8f670cab"`);
    await queryRunner.query(`ALTER TABLE "dispute_parties" DROP CONSTRAINT "FK_5ba93ac8efa747342ad4c1cd281"`);
    await queryRunner.query(`ALTER TABLE "dispute_parties" DROP CONSTRAINT "FK_3e989f9d6d73e01927043fd8dad"`);
    await queryRunner.query(`ALTER TABLE "dispute_mediators" DROP CONSTRAINT "FK_ee537e1d9c1cbedc5a5c79bffb7"`);
    await queryRunner.query(`ALTER TABLE "dispute_mediators" DROP CONSTRAINT "FK_076c09618125dc69db5ea3f670e"`);
    await queryRunner.query(`ALTER TABLE "dispute_history" DROP CONSTRAINT "FK_dddba48e982cc9902f8ca677866"`);
    await queryRunner.query(`ALTER TABLE "disputes" DROP CONSTRAINT "FK_2aaf7eca463406e0d594f36c18d"`);
    await queryRunner.query(`ALTER TABLE "disputes" DROP CONSTRAINT "FK_5481e60db0145828acb9f2c1dd4"`);
    await queryRunner.query(`ALTER TABLE "disputes" DROP CONSTRAINT "FK_a44d37ee80cd84fb33a564cc1e5"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_278dc260c3c9ad1779814f8730"`);
    await queryRunner.query(`DROP TABLE "dispute_sessions"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5ba93ac8efa747342ad4c1cd28"`);
    await queryRunner.query(`DROP TABLE "dispute_parties"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ee537e1d9c1cbedc5a5c79bffb"`);
    await queryRunner.query(`DROP TABLE "dispute_mediators"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_578f06a0bcb39b5443739a7558"`);
    await queryRunner.query(`DROP TABLE "dispute_history"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_604e8a6a7963204c91ea6a7af9"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_aef3234bd2b5af8c3479692e63"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2aaf7eca463406e0d594f36c18"`);
    await queryRunner.query(`DROP TABLE "disputes"`);
  }
}
