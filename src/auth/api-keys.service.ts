import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { actorOf, AuditService, diffChanges } from '../common/audit/audit.service';
import { RequestContext } from '../common/context/request-context';
import { paginate } from '../common/pagination/cursor';
import { Page } from '../common/pagination/page-query.dto';
import { notFound } from '../common/problem/problem';
import { ApiKeyCache } from './api-key-cache';
import { ApiKey } from './api-key.entity';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto, ListApiKeysQueryDto } from './dto/api-key.dto';
import { assertValidScope, normaliseCountryCodes } from './principal-scope';
import { sha256 } from './tokens.service';

export function toApiKeyDto(k: ApiKey): ApiKeyDto {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    role: k.role,
    countryCodes: k.countryCodes,
    partnerId: k.partnerId,
    createdBy: k.createdBy,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
    version: k.version,
  };
}

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly cache: ApiKeyCache,
  ) {}

  /** The full key exists only in this response; the database keeps the SHA-256 of its secret. */
  async create(ctx: RequestContext, dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const scope = { role: dto.role, countryCodes: normaliseCountryCodes(dto.countryCodes), partnerId: dto.partnerId ?? null };
    assertValidScope(scope);
    const prefix = randomBytes(6).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const key = await this.dataSource.transaction(async (manager) => {
      const row = manager.create(ApiKey, {
        id: randomUUID(),
        name: dto.name,
        prefix,
        secretHash: sha256(secret),
        ...scope,
        createdBy: ctx.principal.id,
        createdAt: new Date(),
        lastUsedAt: null,
        revokedAt: null,
        version: 1,
      });
      await manager.insert(ApiKey, row);
      const changes = diffChanges(null, { name: row.name, prefix, role: row.role, countryCodes: row.countryCodes, partnerId: row.partnerId });
      await this.audit.record(manager, actorOf(ctx), { action: 'create', entity: 'api_key', entityId: row.id, changes });
      return row;
    });
    return { ...toApiKeyDto(key), key: `jsd_${prefix}_${secret}` };
  }

  async list(query: ListApiKeysQueryDto): Promise<Page<ApiKeyDto>> {
    const qb = this.dataSource.getRepository(ApiKey).createQueryBuilder('k');
    if (!query.includeRevoked) qb.andWhere('k.revoked_at IS NULL');
    const page = await paginate(qb, query, { list: 'GET /api-keys', sortExpression: 'k.created_at', tieBreaker: 'k.id', keyOf: (k) => [k.createdAt.toISOString(), k.id] });
    return { data: page.data.map(toApiKeyDto), nextCursor: page.nextCursor };
  }

  async get(id: string): Promise<ApiKeyDto> {
    const key = await this.dataSource.getRepository(ApiKey).findOneBy({ id });
    if (!key) throw notFound('API key');
    return toApiKeyDto(key);
  }

  /** Revoking twice is a no-op (204 again, no second audit row). */
  async revoke(ctx: RequestContext, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const key = await manager.getRepository(ApiKey).createQueryBuilder('k').setLock('pessimistic_write').where('k.id = :id', { id }).getOne();
      if (!key) throw notFound('API key');
      if (key.revokedAt) return;
      const now = new Date();
      await manager
        .createQueryBuilder()
        .update(ApiKey)
        .set({ revokedAt: now, version: () => 'version + 1' })
        .where('id = :id', { id })
        .execute();
      await this.audit.record(manager, actorOf(ctx), {
        action: 'revoke',
        entity: 'api_key',
        entityId: id,
        changes: { revokedAt: { from: null, to: now.toISOString() } },
      });
    });
    // After the commit (a rolled-back revocation must leave the key working); before the 204, so
    // the client that revoked it never sees the key work again on this replica.
    this.cache.evict(id);
  }
}
