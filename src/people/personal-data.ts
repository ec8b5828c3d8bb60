import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, AuditService } from '../common/audit/audit.service';
import { RequestContext } from '../common/context/request-context';
import { ScopeColumns } from '../common/scope/scope';
import { CodeKind } from './people-enums';

/**
 * Identities are shown in clear only to admin and to country staff of the person's country;
 * hq_analyst and partner users get the pseudonymous code and the statistical attributes.
 */
export function mayViewIdentity(ctx: RequestContext, countryCode: string): boolean {
  const { role, countryCodes } = ctx.principal;
  return role === 'admin' || (role === 'country_staff' && countryCodes.includes(countryCode));
}

/** Participants and police partners are written only by admin and country staff of their country. */
export function mayWriteCountry(ctx: RequestContext, countryCode: string): boolean {
  return mayViewIdentity(ctx, countryCode);
}

export const PARTICIPANT_SCOPE: ScopeColumns = {
  country: 'p.country_code',
  networksOf: 'SELECT x.network_id FROM participant_networks x WHERE x.participant_id = p.id',
};

export const POLICE_PARTNER_SCOPE: ScopeColumns = {
  country: 'p.country_code',
  networksOf: 'SELECT x.network_id FROM police_partner_networks x WHERE x.police_partner_id = p.id',
};

/**
 * Hands out the next pseudonymous code (`NP-P-000042`) inside the creating transaction. The
 * upsert takes the counter row's lock until commit, so concurrent creates queue on it and get
 * consecutive numbers; a rolled-back create rolls its number back too, so no code ever labels two
 * records.
 */
export async function nextCode(manager: EntityManager, countryCode: string, kind: CodeKind): Promise<string> {
  const rows: { last_value: number }[] = await manager.query(
    `INSERT INTO pseudonym_counters (country_code, kind, last_value) VALUES ($1, $2, 1)
     ON CONFLICT (country_code, kind) DO UPDATE SET last_value = pseudonym_counters.last_value + 1
     RETURNING last_value`,
    [countryCode, kind],
  );
  return `${countryCode}-${kind}-${String(rows[0].last_value).padStart(6, '0')}`;
}

/**
 * Serialises duplicate checks for one identity within a country, so two concurrent creates of
 * the same person cannot both pass the check. Held until the transaction ends.
 */
export async function lockIdentity(manager: EntityManager, table: string, countryCode: string, identityIndex: string): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${table}:${countryCode}:${identityIndex}`]);
}

/**
 * Records that a response showed identities in clear ("who has looked at this person?"): one
 * audit row per response, written before the response leaves. Reads pay for a transaction only
 * when they actually show an identity.
 */
@Injectable()
export class PersonalDataViews {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** One row for a single record (`entityId` = its id), or for a list page (`list`, with the ids). */
  async record(ctx: RequestContext, entity: string, shownIds: readonly string[], options: { list?: boolean; manager?: EntityManager } = {}): Promise<void> {
    if (shownIds.length === 0) return;
    const entry = options.list
      ? { action: 'view_personal_data', entity, entityId: 'list', changes: { ids: [...shownIds] } }
      : { action: 'view_personal_data', entity, entityId: shownIds[0] };
    if (options.manager) {
      await this.audit.record(options.manager, actorOf(ctx), entry);
      return;
    }
    await this.dataSource.transaction((manager) => this.audit.record(manager, actorOf(ctx), entry));
  }
}
