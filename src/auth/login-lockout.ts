import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { AuditService } from '../common/audit/audit.service';
import { User } from './user.entity';

/** A source that signed in to an account within this many days keeps signing in while the account is locked. */
export const KNOWN_SOURCE_DAYS = 90;

/** Where a sign-in attempt stands before its password is looked at. */
export interface AttemptStanding {
  sourceKey: string;
  /** This source signed in to the account lately. */
  known: boolean;
  /** Locked out: refused whatever the password (with the same answer as a wrong one). */
  refused: boolean;
}

/**
 * Failed passwords are counted per account AND source (login_sources), so that five wrong
 * passwords lock that source out of that account, not the account: a stranger who knows an email
 * can no longer lock its owner out. Guessing stays slow: each source gets LOGIN_MAX_FAILURES
 * tries per LOGIN_LOCK_MINUTES on an account (and LOGIN_RATE_LIMIT_PER_MINUTE across accounts),
 * and failures from sources that have not signed in to the account lately also count on the
 * account itself (users.failed_login_count): LOGIN_ACCOUNT_MAX_FAILURES of them lock the account
 * against every such source, which bounds guessing from many addresses, while its owner keeps
 * signing in from the sources they used before.
 */
@Injectable()
export class LoginLockout {
  private readonly sourceHmacKey: Buffer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {
    this.sourceHmacKey = createHmac('sha256', config.jwt.secret).update('jsd login source v1').digest();
  }

  async standing(user: User, address: string): Promise<AttemptStanding> {
    const sourceKey = createHmac('sha256', this.sourceHmacKey).update(address).digest('base64url');
    const [row] = (await this.dataSource.query(
      `SELECT coalesce(locked_until > now(), false) AS locked, coalesce(last_success_at > now() - make_interval(days => $3), false) AS known
         FROM login_sources WHERE user_id = $1 AND source_key = $2`,
      [user.id, sourceKey, KNOWN_SOURCE_DAYS],
    )) as { locked: boolean; known: boolean }[];
    const known = row?.known ?? false;
    const accountLocked = user.lockedUntil !== null && user.lockedUntil > new Date();
    return { sourceKey, known, refused: (row?.locked ?? false) || (accountLocked && !known) };
  }

  /** The source is now known to the account, and its failures are forgiven. */
  async recordSuccess(user: User, standing: AttemptStanding): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO login_sources (user_id, source_key, failed_count, last_success_at) VALUES ($1, $2, 0, now())
       ON CONFLICT (user_id, source_key) DO UPDATE SET failed_count = 0, locked_until = NULL, last_success_at = now()`,
      [user.id, standing.sourceKey],
    );
  }

  /**
   * Counts a failure for the source (and, from a source not known to the account, for the
   * account); the one that reaches a limit starts that lock. Atomic, and a no-op on what is
   * locked already, so concurrent guesses can neither skip nor lift a lock.
   */
  async recordFailure(user: User, standing: AttemptStanding, requestId: string): Promise<void> {
    const { maxFailures, accountMaxFailures, lockMinutes } = this.config.login;
    await this.dataSource.transaction(async (manager) => {
      // This account's rows that no longer matter: a source's run of failures ends after a
      // quiet lock period, and a source stops being known after KNOWN_SOURCE_DAYS. SKIP LOCKED:
      // concurrent attempts never wait on each other here, so they cannot deadlock.
      await manager.query(
        `DELETE FROM login_sources WHERE ctid IN (
           SELECT ctid FROM login_sources
            WHERE user_id = $1
              AND (locked_until IS NULL OR locked_until <= now())
              AND (last_success_at IS NULL OR last_success_at <= now() - make_interval(days => $2))
              AND (last_failure_at IS NULL OR last_failure_at <= now() - make_interval(mins => $3))
            FOR UPDATE SKIP LOCKED)`,
        [user.id, KNOWN_SOURCE_DAYS, lockMinutes],
      );
      const [source] = (await manager.query(
        `INSERT INTO login_sources AS s (user_id, source_key, failed_count, locked_until, last_failure_at)
         VALUES ($1, $2, CASE WHEN 1 >= $3 THEN 0 ELSE 1 END, CASE WHEN 1 >= $3 THEN now() + make_interval(mins => $4) END, now())
         ON CONFLICT (user_id, source_key) DO UPDATE SET
           failed_count = CASE WHEN s.failed_count + 1 >= $3 THEN 0 ELSE s.failed_count + 1 END,
           locked_until = CASE WHEN s.failed_count + 1 >= $3 THEN now() + make_interval(mins => $4) ELSE s.locked_until END,
           last_failure_at = now()
         WHERE s.locked_until IS NULL OR s.locked_until <= now()
         RETURNING failed_count, locked_until`,
        [user.id, standing.sourceKey, maxFailures, lockMinutes],
      )) as { failed_count: number; locked_until: Date | null }[];
      const [account] = standing.known
        ? []
        : ((await manager.query(
            `UPDATE users SET
               failed_login_count = CASE WHEN failed_login_count + 1 >= $2 THEN 0 ELSE failed_login_count + 1 END,
               locked_until = CASE WHEN failed_login_count + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
             WHERE id = $1 AND (locked_until IS NULL OR locked_until <= now())
             RETURNING failed_login_count, locked_until`,
            [user.id, accountMaxFailures, lockMinutes],
          )) as [{ failed_login_count: number; locked_until: Date | null }[], number])[0];
      // Locked meanwhile by a concurrent failure: nothing was written, nothing to audit.
      if (!source && !account) return;
      const now = new Date();
      const changes: Record<string, { to: unknown }> = {};
      if (source) {
        if (source.locked_until && source.locked_until > now) changes.sourceLockedUntil = { to: source.locked_until };
        else changes.sourceFailedCount = { to: source.failed_count };
      }
      if (account) {
        if (account.locked_until && account.locked_until > now) changes.lockedUntil = { to: account.locked_until };
        else changes.failedLoginCount = { to: account.failed_login_count };
      }
      const locked = 'sourceLockedUntil' in changes || 'lockedUntil' in changes;
      await this.audit.record(
        manager,
        { kind: 'system', id: null, role: null, requestId },
        { action: locked ? 'lock' : 'login_failed', entity: 'user', entityId: user.id, changes },
      );
    });
  }
}
