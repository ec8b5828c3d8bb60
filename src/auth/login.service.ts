import { setTimeout } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LoginLockout } from './login-lockout';
import { PasswordsService } from './passwords.service';
import { User } from './user.entity';

/** Every failed login is answered no sooner than this after it arrived. */
const FAILURE_FLOOR_MS = 250;

/**
 * Checks an email and password. Every failure looks the same to the caller (unknown email, wrong
 * password, disabled, locked), and costs the same argon2 verification, so neither the answer nor
 * its timing tells whether an account exists. Lockouts belong to an account and a source
 * (LoginLockout), so failures from one address never lock the account's owner out elsewhere.
 */
@Injectable()
export class LoginService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly passwords: PasswordsService,
    private readonly lockout: LoginLockout,
  ) {}

  /** The user when the credentials are right and the account may sign in from `address`; otherwise null. */
  async verify(email: string, password: string, requestId: string, address: string): Promise<User | null> {
    const startedAt = performance.now();
    const user = await this.check(email, password, requestId, address);
    // A wrong password also writes the failure counts (a few ms more than an unknown email);
    // answering every failure after the same floor hides that difference.
    if (!user) await setTimeout(Math.max(0, FAILURE_FLOOR_MS - (performance.now() - startedAt)));
    return user;
  }

  private async check(email: string, password: string, requestId: string, address: string): Promise<User | null> {
    const user = await this.dataSource.getRepository(User).findOneBy({ email: email.trim().toLowerCase() });
    const passwordOk = await this.passwords.verify(user?.passwordHash ?? null, password);
    if (!user || user.status !== 'active') return null;
    const standing = await this.lockout.standing(user, address);
    if (standing.refused) return null;
    if (passwordOk) {
      await this.lockout.recordSuccess(user, standing);
      return user;
    }
    await this.lockout.recordFailure(user, standing, requestId);
    return null;
  }
}
