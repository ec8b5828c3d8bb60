import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { AuditActor, AuditService } from '../common/audit/audit.service';
import { RefreshToken } from './refresh-token.entity';
import { User } from './user.entity';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/** Claims of our access tokens; the role is deliberately absent (it is re-read per request). */
export interface AccessClaims {
  sub: string;
  jti: string;
  typ: 'access';
  iat: number;
  exp: number;
  iss: string;
  aud: string;
}

export type RefreshOutcome = { ok: true; pair: TokenPair } | { ok: false };

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

@Injectable()
export class TokensService {
  private readonly successorKey: Buffer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {
    // A key of its own for deriving successor tokens, separate from the one that signs JWTs.
    this.successorKey = createHmac('sha256', config.jwt.secret).update('jsd refresh-token successor v1').digest();
  }

  /** Starts a new token family for a user whose credentials were just verified. */
  async login(user: User, requestId: string): Promise<TokenPair> {
    const now = new Date();
    const id = randomUUID();
    const token = randomBytes(32).toString('base64url');
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        'UPDATE users SET failed_login_count = 0, locked_until = NULL WHERE id = $1 AND (failed_login_count <> 0 OR locked_until IS NOT NULL)',
        [user.id],
      );
      await this.insertToken(manager, { id, userId: user.id, familyId: id, parentId: null, token, now });
      await this.audit.record(manager, this.actorFor(user, requestId), { action: 'login', entity: 'user', entityId: user.id });
    });
    return this.pair(user.id, id, now, token);
  }

  /**
   * Rotation: the old token is marked used and a successor issued. A retry with the old token
   * within the grace period gets the same pair again (re-derived, nothing stored in clear); any
   * later reuse means the token leaked, so the whole family is revoked, successor included.
   */
  async refresh(token: string, requestId: string): Promise<RefreshOutcome> {
    return this.dataSource.transaction(async (manager): Promise<RefreshOutcome> => {
      const row = await manager
        .getRepository(RefreshToken)
        .createQueryBuilder('t')
        .setLock('pessimistic_write')
        .where('t.tokenHash = :hash', { hash: sha256(token) })
        .getOne();
      const now = new Date();
      if (!row || row.revokedAt || row.expiresAt <= now) return { ok: false };
      const user = await manager.findOneBy(User, { id: row.userId });
      if (!user || user.status !== 'active') return { ok: false };

      if (!row.usedAt) {
        const id = randomUUID();
        const successor = this.successorToken(row.id);
        await manager.update(RefreshToken, { id: row.id }, { usedAt: now });
        await this.insertToken(manager, { id, userId: user.id, familyId: row.familyId, parentId: row.id, token: successor, now });
        await this.audit.record(manager, this.actorFor(user, requestId), { action: 'refresh', entity: 'user', entityId: user.id });
        return { ok: true, pair: this.pair(user.id, id, now, successor) };
      }

      if (now.getTime() - row.usedAt.getTime() < this.config.jwt.refreshGraceSeconds * 1000) {
        const next = await manager.findOneBy(RefreshToken, { parentId: row.id });
        if (next && !next.revokedAt) return { ok: true, pair: this.pair(user.id, next.id, next.createdAt, this.successorToken(row.id)) };
      }

      await this.revokeFamily(manager, row.familyId, now);
      await this.audit.record(
        manager,
        { kind: 'system', id: null, role: null, requestId },
        { action: 'revoke_sessions', entity: 'user', entityId: user.id, changes: { reason: 'refresh token reused', familyId: row.familyId } },
      );
      return { ok: false };
    });
  }

  /** Revokes the family of a refresh token; unknown or already revoked tokens change nothing. */
  async logout(token: string, requestId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const row = await manager.findOneBy(RefreshToken, { tokenHash: sha256(token) });
      if (!row) return;
      const revoked = await this.revokeFamily(manager, row.familyId, new Date());
      if (!revoked) return;
      await this.audit.record(
        manager,
        { kind: 'user', id: row.userId, role: null, requestId },
        { action: 'logout', entity: 'user', entityId: row.userId, changes: { familyId: row.familyId } },
      );
    });
  }

  /** Ends every session of a user (disabled, password or role changed); part of the caller's write. */
  async revokeAllForUser(manager: EntityManager, userId: string): Promise<void> {
    await manager.query('UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
  }

  private async revokeFamily(manager: EntityManager, familyId: string, now: Date): Promise<number> {
    const result = await manager.query('UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL', [familyId, now]);
    return Array.isArray(result) ? Number(result[1] ?? 0) : 0;
  }

  private async insertToken(
    manager: EntityManager,
    t: { id: string; userId: string; familyId: string; parentId: string | null; token: string; now: Date },
  ): Promise<void> {
    await manager.insert(RefreshToken, {
      id: t.id,
      userId: t.userId,
      familyId: t.familyId,
      parentId: t.parentId,
      tokenHash: sha256(t.token),
      expiresAt: new Date(t.now.getTime() + this.config.jwt.refreshTtlDays * 86_400_000),
      usedAt: null,
      revokedAt: null,
      createdAt: t.now,
    });
  }

  private successorToken(parentId: string): string {
    return createHmac('sha256', this.successorKey).update(parentId).digest('base64url');
  }

  /** Deterministic for a given (user, token id, issue time): a replay re-signs the same claims. */
  private pair(userId: string, tokenId: string, issuedAt: Date, refreshToken: string): TokenPair {
    const iat = Math.floor(issuedAt.getTime() / 1000);
    const { issuer, audience, accessTtlSeconds } = this.config.jwt;
    const claims: AccessClaims = { sub: userId, jti: tokenId, typ: 'access', iat, exp: iat + accessTtlSeconds, iss: issuer, aud: audience };
    return { accessToken: this.jwt.sign(claims), refreshToken, tokenType: 'Bearer', expiresIn: accessTtlSeconds };
  }

  private actorFor(user: User, requestId: string): AuditActor {
    return { kind: 'user', id: user.id, role: user.role, requestId };
  }
}
