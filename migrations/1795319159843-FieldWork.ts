import { MigrationInterface, QueryRunner } from 'typeorm';

export class FieldWork1795319159843 implements MigrationInterface {
  name = 'FieldWork1795319159843';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "sessions" ("id" uuid NOT NULL, "network_id" uuid NOT NULL, "country_code" character(2) NOT NULL, "title" text NOT NULL, "kind" text NOT NULL, "held_on" date NOT NULL, "duration_minutes" integer, "place" text, "facilitator_partner_id" uuid, "topics" text array NOT NULL DEFAULT '{}', "summary" text, "unnamed_women" integer NOT NULL DEFAULT '0', "unnamed_men" integer NOT NULL DEFAULT '0', "unnamed_youth" integer NOT NULL DEFAULT '0', "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "archived_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_sessions_duration" CHECK ("duration_minutes" IS NULL OR "duration_minutes" > 0), CONSTRAINT "CHK_sessions_unnamed" CHECK ("unnamed_women" >= 0 AND "unnamed_men" >= 0 AND "unnamed_youth" >= 0), CONSTRAINT "CHK_sessions_topics" CHECK ("topics" <@ ARRAY['ethnic_tension', 'religious_tension', 'sectarian_tension', 'idp_host_relations', 'crime', 'drug_trafficking', 'land', 'militia_activity', 'police_conduct', 'access_to_justice', 'gender_based_violence', 'youth', 'elections', 'natural_resources', 'other']::text[]), CONSTRAINT "CHK_sessions_kind" CHECK ("kind" IN ('dialogue', 'consensus_building', 'mediation_training', 'analysis_workshop', 'community_outreach', 'other')), CONSTRAINT "PK_3238ef96f18b355b671619111bc" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_e5fa3d6e948469773933270334" ON "sessions"  ("facilitator_partner_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_5875904ca2daed1406c35885ab" ON "sessions"  ("country_code", "held_on") `);
    await queryRunner.query(`CREATE INDEX "IDX_be7642585b6d4ee8cec9b7a0fc" ON "sessions"  ("network_id", "held_on") `);
    // GIN for ?topic= (topics @> ARRAY[...]); the entity declares it with synchronize: false.
    await queryRunner.query(`CREATE INDEX "IDX_sessions_topics" ON "sessions" USING GIN ("topics")`);
    await queryRunner.query(`CREATE TABLE "action_points" ("id" uuid NOT NULL, "session_id" uuid NOT NULL, "description" text NOT NULL, "due_on" date, "status" text NOT NULL DEFAULT 'open', "position" integer NOT NULL, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_action_points_status" CHECK ("status" IN ('open', 'done', 'dropped')), CONSTRAINT "PK_f7727cd0e496b36fab2dbd26d8e" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_4114eee381de8da539cc58800d" ON "action_points"  ("session_id", "position") `);
    await queryRunner.query(`CREATE TABLE "session_attendance" ("id" uuid NOT NULL, "session_id" uuid NOT NULL, "participant_id" uuid, "police_partner_id" uuid, "role" text NOT NULL, "position" integer NOT NULL, CONSTRAINT "CHK_session_attendance_role" CHECK ("role" IN ('attendee', 'facilitator', 'speaker', 'observer')), CONSTRAINT "CHK_session_attendance_one_person" CHECK (("participant_id" IS NULL) <> ("police_partner_id" IS NULL)), CONSTRAINT "PK_bc946a8e6bc80fd2531356f89e6" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_388f4c6aa6171559cc58839050" ON "session_attendance"  ("police_partner_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_608ad6f06c8615a7740ee37b10" ON "session_attendance"  ("participant_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_session_attendance_police_partner" ON "session_attendance"  ("session_id", "police_partner_id") WHERE "police_partner_id" IS NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_session_attendance_participant" ON "session_attendance"  ("session_id", "participant_id") WHERE "participant_id" IS NOT NULL`);
    await queryRunner.query(`CREATE TABLE "sync_operations" ("principal_key" text NOT NULL, "client_id" uuid NOT NULL, "resource" text NOT NULL, "method" text NOT NULL, "request_hash" character(64) NOT NULL, "status" integer NOT NULL, "resource_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_07222da36cefb3db0b2d82f13bd" PRIMARY KEY ("principal_key", "client_id"))`);
    await queryRunner.query(`ALTER TABLE "sessions" ADD CONSTRAINT "FK_1ebe51876d338250e3e8e38657d" FOREIGN KEY ("network_id") REFERENCES "networks"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "sessions" ADD CONSTRAINT "FK_d266e9c10ee09d17d3b38b1e22f" FOREIGN KEY ("country_code") REFERENCES "countries"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "sessions" ADD CONSTRAINT "FK_e5fa3d6e9484697739332703343" FOREIGN KEY ("facilitator_partner_id") REFERENCES "partners"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "action_points" ADD CONSTRAINT "FK_7df4e9019366db321363c2d0835" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "session_attendance" ADD CONSTRAINT "FK_fe13eeaaceb32f7ef9a269e1af2" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "session_attendance" ADD CONSTRAINT "FK_608ad6f06c8615a7740ee37b105" FOREIGN KEY ("participant_id") REFERENCES "participants"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "session_attendance" ADD CONSTRAINT "FK_388f4c6aa6171559cc588390500" FOREIGN KEY ("police_partner_id") REFERENCES "police_partners"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "session_attendance" DROP CONSTRAINT "FK_388f4c6aa6171559cc588390500"`);
    await queryRunner.query(`ALTER TABLE "session_attendance" DROP CONSTRAINT "FK_608ad6f06c8615a7740ee37b105"`);
    await queryRunner.query(`ALTER TABLE "session_attendance" DROP CONSTRAINT "FK_fe13eeaaceb32f7ef9a269e1af2"`);
    await queryRunner.query(`ALTER TABLE "action_points" DROP CONSTRAINT "FK_7df4e9019366db321363c2d0835"`);
    await queryRunner.query(`ALTER TABLE "sessions" DROP CONSTRAINT "FK_e5fa3d6e9484697739332703343"`);
    await queryRunner.query(`ALTER TABLE "sessions" DROP CONSTRAINT "FK_d266e9c10ee09d17d3b38b1e22f"`);
    await queryRunner.query(`ALTER TABLE "sessions" DROP CONSTRAINT "FK_1ebe51876d338250e3e8e38657d"`);
    await queryRunner.query(`DROP TABLE "sync_operations"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_session_attendance_participant"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_session_attendance_police_partner"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_608ad6f06c8615a7740ee37b10"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_388f4c6aa6171559cc58839050"`);
    await queryRunner.query(`DROP TABLE "session_attendance"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4114eee381de8da539cc58800d"`);
    await queryRunner.query(`DROP TABLE "action_points"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_be7642585b6d4ee8cec9b7a0fc"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5875904ca2daed1406c35885ab"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e5fa3d6e948469773933270334"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_sessions_topics"`);
    await queryRunner.query(`DROP TABLE "sessions"`);
  }
}
