import { setTimeout } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { AuditService } from '../common/audit/audit.service';
import { PasswordsService } from './passwords.service';
import { User } from './user.entity';

/** Every failed login is answered no sooner than this after it arrived. */
const FAILURE_FLOOR_MS = 250;

/**
 * Checks an email and password. Every failure looks the same to the caller (unknown email, wrong
 * password, disabled, locked), and costs the same argon2 verification, so neither the answer nor
 * its timing tells whether an account exists.
 */
@Injectable()
export class LoginService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly passwords: PasswordsService,
    private readonly audit: AuditService,
  ) {}

  /** The user when the credentials are right and the account may sign in; otherwise null. */
  async verify(email: string, password: string, requestId: string): Promise<User | null> {
    const startedAt = performance.now();
    const user = await this.check(email, password, requestId);
    // A wrong password also writes the failure count (a few ms more than an unknown email);
    // answering every failure after the same floor hides that difference.
    if (!user) await setTimeout(Math.max(0, FAILURE_FLOOR_MS - (performance.now() - startedAt)));
    return user;
  }

  private async check(email: string, password: string, requestId: string): Promise<User | null> {
    const user = await this.dataSource.getRepository(User).findOneBy({ email: email.trim().toLowerCase() });
    const passwordOk = await this.passwords.verify(user?.passwordHash ?? null, password);
    if (!user) return null;
    const locked = user.lockedUntil !== null && user.lockedUntil > new Date();
    if (user.status !== 'active' || locked) return null;
    if (passwordOk) return user;
    await this.recordFailure(user, requestId);
    return null;
  }

  /**
   * Counts a consecutive failure; the one that reaches the limit locks the account. Atomic, and a
   * no-op while locked, so concurrent guesses can neither skip nor lift the lock.
   */
  private async recordFailure(user: User, requestId: string): Promise<void> {
    const { maxFailures, lockMinutes } = this.config.login;
    await this.dataSource.transaction(async (manager) => {
      const [rows] = (await manager.query(
        `UPDATE users SET
           failed_login_count = CASE WHEN failed_login_count + 1 >= $2 THEN 0 ELSE failed_login_count + 1 END,
           locked_until = CASE WHEN failed_login_count + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
         WHERE id = $1 AND (locked_until IS NULL OR locked_until <= now())
         RETURNING failed_login_count, locked_until`,
        [user.id, maxFailures, lockMinutes],
      )) as [{ failed_login_count: number; locked_until: Date | null }[], number];
      const after = rows[0];
      // Locked meanwhile by a concurrent failure: nothing was written, nothing to audit.
      if (!after) return;
      const lockedNow = after.locked_until !== null && after.locked_until > new Date();
      await this.audit.record(
        manager,
        { kind: 'system', id: null, role: null, requestId },
        {
          action: lockedNow ? 'lock' : 'login_failed',
          entity: 'user',
          entityId: user.id,
          changes: lockedNow ? { lockedUntil: { to: after.locked_until } } : { failedLoginCount: { to: after.failed_login_count } },
        },
      );
    });
  }
}
