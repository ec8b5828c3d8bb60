import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RequestContext } from '../common/context/request-context';
import { conflict } from '../common/problem/problem';
import { ScopeColumns, scopeCondition } from '../common/scope/scope';
import { referenceNotFound } from './people-references';
import { PARTICIPANT_SCOPE, POLICE_PARTNER_SCOPE } from './personal-data';

export interface AttendableRefs {
  participantIds?: readonly string[];
  policePartnerIds?: readonly string[];
  /** The session's country: every attendee must be recorded in it. */
  countryCode: string;
  /** The body field a 404 names for a participant (default `participantIds`), e.g. `mediatorIds`. */
  participantField?: string;
}

interface PersonRow {
  id: string;
  code: string;
  consent_given: boolean;
  archived: boolean;
}

/** What other domains (sessions, sync) may ask of people/ without reading its tables. */
@Injectable()
export class PeopleService {
  /**
   * Checks, in one query per kind, that every id exists, is in `countryCode` and is visible to the
   * caller (else 404 naming the field: missing, foreign and invisible look alike), that no one is
   * archived, and that every participant has given consent to be named (else 409 naming the code).
   * Run it inside the caller's transaction.
   */
  async requireAttendable(manager: EntityManager, ctx: RequestContext, refs: AttendableRefs): Promise<void> {
    const participants = await this.load(manager, ctx, 'participants', PARTICIPANT_SCOPE, refs.participantIds ?? [], refs.countryCode, refs.participantField ?? 'participantIds', 'participant');
    const police = await this.load(manager, ctx, 'police_partners', POLICE_PARTNER_SCOPE, refs.policePartnerIds ?? [], refs.countryCode, 'policePartnerIds', 'police partner');
    const archived = [...participants, ...police].filter((p) => p.archived).map((p) => p.code);
    if (archived.length) {
      throw conflict(`Archived people cannot be named as attendees: ${archived.join(', ')}.`, { slug: 'archived', codes: archived });
    }
    const withoutConsent = participants.filter((p) => !p.consent_given).map((p) => p.code);
    if (withoutConsent.length) {
      throw conflict(
        `Participant ${withoutConsent.join(', ')} has not given consent to be recorded, so cannot be named in attendance; count them as unnamed attendance instead.`,
        { slug: 'no-consent', codes: withoutConsent },
      );
    }
  }

  private async load(
    manager: EntityManager,
    ctx: RequestContext,
    table: string,
    columns: ScopeColumns,
    ids: readonly string[],
    countryCode: string,
    field: string,
    what: string,
  ): Promise<PersonRow[]> {
    const unique = [...new Set(ids)];
    if (!unique.length) return [];
    const { sql, params } = scopeCondition(ctx.principal, columns);
    const consent = table === 'participants' ? 'p.consent_given' : 'TRUE';
    const rows = await manager
      .createQueryBuilder()
      .select('p.id', 'id')
      .addSelect('p.code', 'code')
      .addSelect(consent, 'consent_given')
      .addSelect('p.archived_at IS NOT NULL', 'archived')
      .from(table, 'p')
      .where('p.id IN (:...ids)', { ids: unique })
      .andWhere('p.country_code = :countryCode', { countryCode })
      .andWhere(sql, params)
      .getRawMany<PersonRow>();
    if (rows.length !== unique.length) throw referenceNotFound(field, what);
    return rows;
  }
}
