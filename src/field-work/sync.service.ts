import { createHash } from 'node:crypto';
import { HttpException, Injectable, Logger } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DataSource } from 'typeorm';
import { canonicalJson } from '../common/audit/audit-chain';
import { RequestContext } from '../common/context/request-context';
import { defaultProblem, ProblemBody, ProblemException, problemType } from '../common/problem/problem';
import { flatten } from '../common/validation/validation.pipe';
import { SyncOperationDto, SyncRequestDto, SyncResponseDto, SyncResultDto } from './dto/sync.dto';
import { SyncHandler, SyncRegistry } from './sync-registry';

const problem = (status: number, detail: string, extras: Partial<ProblemBody> = {}): ProblemBody => ({ ...defaultProblem(status, detail), ...extras });

/**
 * POST /sync: operations recorded offline, applied in input order, each in its own transaction.
 * The transaction claims (caller, clientId) in sync_operations before applying, so a retried
 * batch — even two uploads racing — applies each operation at most once, and a replay answers
 * the stored result. Only applied operations are stored: a refused one changed nothing, so
 * sending it again is harmless and goes through once the client or the server has fixed what
 * was wrong (the same policy as Idempotency-Key).
 */
@Injectable()
export class SyncService {
  private readonly logger = new Logger('Sync');

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: SyncRegistry,
  ) {}

  async run(ctx: RequestContext, request: SyncRequestDto): Promise<SyncResponseDto> {
    const results: SyncResultDto[] = [];
    // Sequential: a later operation may change the record an earlier one created.
    for (const op of request.operations) results.push(await this.applyOne(ctx, op));
    return { results };
  }

  private async applyOne(ctx: RequestContext, op: SyncOperationDto): Promise<SyncResultDto> {
    const { clientId } = op;
    const handler = this.registry.find(op.resource, op.method);
    if (!handler) {
      return { clientId, status: 400, problem: problem(400, `${op.method} ${op.resource} cannot be synchronised; supported: ${this.registry.list().join(', ')}.`, { type: problemType('validation'), title: 'Validation failed', errors: [{ field: 'resource', message: 'is not supported with this method' }] }) };
    }
    if (!handler.roles.includes(ctx.principal.role)) {
      return { clientId, status: 403, problem: problem(403, `Your role may not ${op.method} ${op.resource}.`) };
    }
    const checked = await this.validateOperation(handler, op);
    if ('problem' in checked) return { clientId, status: 400, problem: checked.problem };

    const principalKey = `${ctx.principal.kind}:${ctx.principal.id}`;
    const hash = createHash('sha256').update(canonicalJson({ resource: op.resource, method: op.method, body: op.body, id: op.id ?? null, version: op.version ?? null })).digest('hex');
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      // The insert is the lock: a concurrent upload of the same operation waits here for ours.
      const claimed: unknown[] = await runner.query(
        `INSERT INTO sync_operations (principal_key, client_id, resource, method, request_hash, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, now()) ON CONFLICT DO NOTHING RETURNING 1`,
        [principalKey, clientId, op.resource, op.method, hash, handler.successStatus],
      );
      if (!claimed.length) {
        await runner.rollbackTransaction();
        return this.replay(principalKey, clientId, hash);
      }
      const { id } = await handler.apply(runner.manager, ctx, { ...op, body: checked.body });
      await runner.query('UPDATE sync_operations SET resource_id = $3 WHERE principal_key = $1 AND client_id = $2', [principalKey, clientId, id]);
      await runner.commitTransaction();
      return { clientId, status: handler.successStatus, id };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      return this.failure(ctx, handler, op, error);
    } finally {
      await runner.release();
    }
  }

  /** The body against the route's own DTO class, with the same rules as the validation pipe. */
  private async validateOperation(handler: SyncHandler, op: SyncOperationDto): Promise<{ body: object } | { problem: ProblemBody }> {
    const errors: { field: string; message: string }[] = [];
    if (handler.needsIdAndVersion) {
      if (op.id === undefined) errors.push({ field: 'id', message: `is required for ${op.method} ${op.resource}` });
      if (op.version === undefined) errors.push({ field: 'version', message: 'is required: the version the offline change was based on' });
    } else {
      if (op.id !== undefined) errors.push({ field: 'id', message: 'is not allowed: the server assigns the id' });
      if (op.version !== undefined) errors.push({ field: 'version', message: 'is not allowed when creating' });
    }
    const instance = plainToInstance(handler.bodyType, op.body);
    const bodyErrors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, validationError: { target: false, value: false } });
    errors.push(...flatten(bodyErrors, 'body'));
    if (!errors.length) return { body: instance };
    return { problem: problem(400, `${errors.length} field(s) failed validation.`, { type: problemType('validation'), title: 'Validation failed', errors }) };
  }

  private async replay(principalKey: string, clientId: string, hash: string): Promise<SyncResultDto> {
    const [row] = (await this.dataSource.query(
      'SELECT request_hash AS "requestHash", status, resource_id AS "resourceId" FROM sync_operations WHERE principal_key = $1 AND client_id = $2',
      [principalKey, clientId],
    )) as { requestHash: string; status: number; resourceId: string | null }[];
    if (row.requestHash !== hash) {
      return { clientId, status: 422, problem: problem(422, 'This clientId was already used for a different operation; give every operation its own clientId.', { type: problemType('client-id-reuse') }) };
    }
    return { clientId, status: row.status, ...(row.resourceId ? { id: row.resourceId } : {}), replayed: true };
  }

  private async failure(ctx: RequestContext, handler: SyncHandler, op: SyncOperationDto, error: unknown): Promise<SyncResultDto> {
    const { clientId } = op;
    if (error instanceof ProblemException && error.problem.status === 412 && op.id) {
      // Never last-write-wins: the client gets the record as it is now and decides.
      const current = await handler.current(ctx, op.id).catch(() => undefined);
      return {
        clientId,
        status: 409,
        id: op.id,
        problem: problem(409, `The record changed after version ${op.version} was read offline (it is now version ${String(error.problem.currentVersion)}); nothing was applied. Merge with the current record and send a new operation.`, { type: problemType('sync-conflict'), currentVersion: error.problem.currentVersion }),
        current,
      };
    }
    if (error instanceof ProblemException && error.problem.status < 500) {
      // Handlers name fields of the body they were given; in a batch those live under `body`.
      const errors = error.problem.errors?.map((e) => ({ ...e, field: `body.${e.field}` }));
      return { clientId, status: error.problem.status, problem: { ...error.problem, ...(errors ? { errors } : {}) } };
    }
    if (error instanceof HttpException && error.getStatus() < 500) return { clientId, status: error.getStatus(), problem: problem(error.getStatus(), error.message) };
    this.logger.error({ err: error, clientId, resource: op.resource, method: op.method }, 'sync operation failed');
    return { clientId, status: 500, problem: problem(500, 'The operation could not be applied; nothing was changed. Retry it later.') };
  }
}
