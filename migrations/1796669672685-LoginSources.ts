import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in failures per account and source (LoginLockout). Five wrong passwords used to lock the
 * account itself (users.locked_until), so anyone who knew an email could lock its owner out; now
 * they lock the source that sent them, and users.failed_login_count / locked_until count only
 * failures from sources that have not signed in to the account lately. The source is an HMAC of
 * the client address: the table holds no address.
 */
export class LoginSources1796669672685 implements MigrationInterface {
  name = 'LoginSources1796669672685';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "login_sources" ("user_id" uuid NOT NULL, "source_key" character(43) NOT NULL, "failed_count" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "last_success_at" TIMESTAMP WITH TIME ZONE, "last_failure_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_38dc76defacd722ed875bdde612" PRIMARY KEY ("user_id", "source_key"))`);
    await queryRunner.query(`ALTER TABLE "login_sources" ADD CONSTRAINT "FK_2d5e4ff78e2ff68f268c38a27d4" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "login_sources" DROP CONSTRAINT "FK_2d5e4ff78e2ff68f268c38a27d4"`);
    await queryRunner.query(`DROP TABLE "login_sources"`);
  }
}
