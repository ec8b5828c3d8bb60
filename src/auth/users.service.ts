import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, AuditActor, AuditService, diffChanges, REDACTED } from '../common/audit/audit.service';
import { RequestContext } from '../common/context/request-context';
import { assertVersion } from '../common/concurrency/etag';
import { paginate } from '../common/pagination/cursor';
import { Page } from '../common/pagination/page-query.dto';
import { conflict, notFound, ProblemException } from '../common/problem/problem';
import { ApiKey } from './api-key.entity';
import { isUniqueViolation } from './db-errors';
import { MeDto } from './dto/token-pair.dto';
import { CreateUserDto, ListUsersQueryDto, UpdateUserDto, UserDto } from './dto/user.dto';
import { PasswordsService } from './passwords.service';
import { Principal, Role } from './principal';
import { assertValidScope, normaliseCountryCodes } from './principal-scope';
import { TokensService } from './tokens.service';
import { User, UserStatus } from './user.entity';

/** Serialises "is there (still) an admin?" decisions: bootstrap and demoting/disabling admins. */
export const ADMIN_SET_LOCK = 7_412_101;

export interface NewUser {
  email: string;
  passwordHash: string;
  displayName: string;
  role: Role;
  countryCodes: string[];
  partnerId: string | null;
  status: UserStatus;
}

/** The fields an audit diff shows; the password appears only as "[redacted]". */
const auditView = (u: Omit<NewUser, 'passwordHash'>) => ({
  email: u.email,
  displayName: u.displayName,
  role: u.role,
  countryCodes: u.countryCodes,
  partnerId: u.partnerId,
  status: u.status,
});

const duplicateEmail = () => conflict('A user with this email already exists.', { slug: 'duplicate' });

export function toUserDto(u: User): UserDto {
  return {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    role: u.role,
    countryCodes: u.countryCodes,
    partnerId: u.partnerId,
    status: u.status,
    lockedUntil: u.lockedUntil && u.lockedUntil > new Date() ? u.lockedUntil.toISOString() : null,
    version: u.version,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}

@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly passwords: PasswordsService,
    private readonly audit: AuditService,
    private readonly tokens: TokensService,
  ) {}

  async create(ctx: RequestContext, dto: CreateUserDto): Promise<UserDto> {
    const scope = { role: dto.role, countryCodes: normaliseCountryCodes(dto.countryCodes), partnerId: dto.partnerId ?? null };
    assertValidScope(scope);
    const passwordHash = await this.passwords.hash(dto.password);
    const user = await this.dataSource.transaction((manager) =>
      this.insert(manager, actorOf(ctx), { ...scope, email: dto.email, passwordHash, displayName: dto.displayName, status: dto.status ?? 'active' }),
    );
    return toUserDto(user);
  }

  /** Inserts and audits inside the caller's transaction (also used by the bootstrap admin). */
  async insert(manager: EntityManager, actor: AuditActor, fields: NewUser): Promise<User> {
    const now = new Date();
    const user = manager.create(User, { id: randomUUID(), ...fields, failedLoginCount: 0, lockedUntil: null, version: 1, createdAt: now, updatedAt: now });
    // ON CONFLICT DO NOTHING rather than catching the violation: a failed query is logged with
    // its parameters, and those would include the password hash.
    const result = await manager.createQueryBuilder().insert().into(User).values(user).orIgnore().returning(['id']).execute();
    if (!(result.raw as unknown[]).length) throw duplicateEmail();
    const changes = { ...diffChanges(null, auditView(fields)), password: { to: REDACTED } };
    await this.audit.record(manager, actor, { action: 'create', entity: 'user', entityId: user.id, changes });
    return user;
  }

  async list(query: ListUsersQueryDto): Promise<Page<UserDto>> {
    const qb = this.dataSource.getRepository(User).createQueryBuilder('u');
    if (query.role) qb.andWhere('u.role = :role', { role: query.role });
    if (query.status) qb.andWhere('u.status = :status', { status: query.status });
    const page = await paginate(qb, query, {
      list: 'GET /users',
      sortExpression: 'u.created_at',
      tieBreaker: 'u.id',
      keyOf: (u) => [u.createdAt.toISOString(), u.id],
    });
    return { data: page.data.map(toUserDto), nextCursor: page.nextCursor };
  }

  async get(id: string): Promise<UserDto> {
    const user = await this.dataSource.getRepository(User).findOneBy({ id });
    if (!user) throw notFound('user');
    return toUserDto(user);
  }

  /**
   * Optimistic concurrency: a stale If-Match is a 412 and changes nothing; the UPDATE itself also
   * says `WHERE id AND version`. Disabling a user or changing their password ends their sessions.
   */
  async update(ctx: RequestContext, id: string, dto: UpdateUserDto, expectedVersion: number | undefined): Promise<UserDto> {
    const passwordHash = dto.password !== undefined ? await this.passwords.hash(dto.password) : undefined;
    const updated = await this.dataSource.transaction(async (manager) => {
      const current = await manager.getRepository(User).createQueryBuilder('u').setLock('pessimistic_write').where('u.id = :id', { id }).getOne();
      if (!current) throw notFound('user');
      assertVersion(current.version, expectedVersion);
      const next = {
        email: dto.email ?? current.email,
        displayName: dto.displayName ?? current.displayName,
        role: dto.role ?? current.role,
        countryCodes: dto.countryCodes !== undefined ? normaliseCountryCodes(dto.countryCodes) : current.countryCodes,
        partnerId: dto.partnerId !== undefined ? dto.partnerId : current.partnerId,
        status: dto.status ?? current.status,
      };
      assertValidScope(next);
      const changes: Record<string, unknown> = diffChanges(auditView(current), auditView(next));
      if (passwordHash) changes.password = { from: REDACTED, to: REDACTED };
      if (!Object.keys(changes).length) return current;
      // Checked first so that the UPDATE (which may carry a password hash) does not fail and get logged.
      if (next.email !== current.email && (await manager.existsBy(User, { email: next.email }))) throw duplicateEmail();
      if (current.role === 'admin' && current.status === 'active' && (next.role !== 'admin' || next.status !== 'active')) {
        await this.assertAnotherActiveAdmin(manager, id);
      }

      const set: Partial<User> = { ...next, updatedAt: new Date() };
      if (passwordHash) Object.assign(set, { passwordHash, failedLoginCount: 0, lockedUntil: null });
      const result = await manager
        .createQueryBuilder()
        .update(User)
        .set({ ...set, version: () => 'version + 1' })
        .where('id = :id AND version = :version', { id, version: current.version })
        .execute()
        .catch((error: unknown) => {
          throw isUniqueViolation(error, 'UQ_users_email') ? duplicateEmail() : error;
        });
      if (!result.affected) assertVersion(current.version + 1, current.version);
      if (passwordHash || (next.status === 'disabled' && current.status !== 'disabled')) await this.tokens.revokeAllForUser(manager, id);
      await this.audit.record(manager, actorOf(ctx), { action: 'update', entity: 'user', entityId: id, changes });
      return manager.findOneByOrFail(User, { id });
    });
    return toUserDto(updated);
  }

  /** Whoever is calling, as `GET /auth/me` shows it. */
  async describePrincipal(principal: Principal): Promise<MeDto> {
    const base = { id: principal.id, kind: principal.kind, role: principal.role, countryCodes: principal.countryCodes, partnerId: principal.partnerId };
    if (principal.kind === 'api_key') {
      const key = await this.dataSource.getRepository(ApiKey).findOneBy({ id: principal.id });
      return { ...base, email: null, displayName: key?.name ?? null };
    }
    const user = await this.dataSource.getRepository(User).findOneBy({ id: principal.id });
    return { ...base, email: user?.email ?? null, displayName: user?.displayName ?? null };
  }

  /** The system must never be left without an active admin (nobody could then manage users). */
  private async assertAnotherActiveAdmin(manager: EntityManager, exceptId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [ADMIN_SET_LOCK]);
    const [{ count }] = (await manager.query(
      `SELECT count(*)::int AS count FROM users WHERE role = 'admin' AND status = 'active' AND id <> $1`,
      [exceptId],
    )) as { count: number }[];
    if (!count) throw new ProblemException(409, 'This is the last active admin; make another admin first.', { slug: 'last-admin' });
  }
}
