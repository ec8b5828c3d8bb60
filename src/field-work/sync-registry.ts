import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Role } from '../auth/principal';
import { RequestContext } from '../common/context/request-context';

export type SyncMethod = 'POST' | 'PATCH';

export interface SyncOperationInput {
  clientId: string;
  resource: string;
  method: SyncMethod;
  /** Already validated against `bodyType`. */
  body: object;
  id?: string;
  version?: number;
}

/**
 * How one resource applies one kind of offline operation. `apply` runs inside the operation's
 * own transaction (it must not open another) and returns the record's id; throwing a
 * ProblemException reports that status for this operation only.
 */
export interface SyncHandler {
  resource: string;
  method: SyncMethod;
  /** Who may apply it: the roles of the equivalent HTTP route (POST /sync itself admits every writer). */
  roles: readonly Role[];
  /** The DTO class the body is validated against, the same one the HTTP route uses. */
  bodyType: new () => object;
  /** PATCH handlers need `id` and the `version` the offline change was based on. */
  needsIdAndVersion: boolean;
  /** HTTP-like status of a success: 201 for creates, 200 for updates. */
  successStatus: number;
  apply(manager: EntityManager, ctx: RequestContext, op: SyncOperationInput): Promise<{ id: string }>;
  /** The current server record, sent back with a version conflict. */
  current(ctx: RequestContext, id: string): Promise<unknown>;
}

/** resource + method → handler. Modules register theirs at start-up (onModuleInit). */
@Injectable()
export class SyncRegistry {
  private readonly handlers = new Map<string, SyncHandler>();

  register(handler: SyncHandler): void {
    const key = `${handler.method} ${handler.resource}`;
    if (this.handlers.has(key)) throw new Error(`two sync handlers for ${key}`);
    this.handlers.set(key, handler);
  }

  find(resource: string, method: string): SyncHandler | undefined {
    return this.handlers.get(`${method} ${resource}`);
  }

  list(): string[] {
    return [...this.handlers.keys()].sort();
  }
}
