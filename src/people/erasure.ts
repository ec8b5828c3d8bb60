import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { actorOf, AuditService, REDACTED } from '../common/audit/audit.service';
import { RequestContext } from '../common/context/request-context';
import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { IdempotencyService } from '../common/idempotency/idempotency.service';
import { FREE_TEXT_SOURCES, FreeTextSource, VERSIONED_TABLES } from './erasure-sources';
import { MentionMatcher } from './mention-matcher';

/** The person being erased, as erasure needs them: read before their identity is wiped. */
export interface ErasedPerson {
  kind: 'participant' | 'police_partner';
  id: string;
  countryCode: string;
  fullName: string | null;
  phone: string | null;
}

export interface ErasureReport {
  /** Records whose free text named the person (or, for disputes, whose party was the person). */
  records: number;
  /** Stored Idempotency-Key responses withdrawn. */
  storedResponses: number;
}

interface Row {
  key: string;
  entity: string;
  entity_id: string;
  location: string;
  value: string;
  linked: boolean;
}

/** What erasure changed in one record: its fields, for the audit event, and its Location. */
interface Touched {
  entity: string;
  entityId: string;
  location: string;
  fields: Set<string>;
}

const BATCH = 1_000;

/**
 * Removes an erased person from everything that can still show them, in the erasing transaction
 * (see docs/security.md, "Free text and erasure"):
 *
 * 1. a dispute party that is the person gets the label "[erased]" (the participant link stays,
 *    for statistics, like the attendance);
 * 2. every free-text value of the person's country (FREE_TEXT_SOURCES) is decrypted and each
 *    mention of the person's full name or phone number is replaced by "[erased]"; in records the
 *    person is linked to (disputes they are a party to or mediate, sessions they attended and
 *    their action points, warnings raised in those sessions, their own record) each part of the
 *    name counts as a mention too. Each record changed gets a new version and an audit event
 *    naming the fields (never their text);
 * 3. stored Idempotency-Key responses are withdrawn when they are about a record changed here or
 *    one of the person's disputes, or show the name or the phone.
 */
@Injectable()
export class PersonErasure {
  constructor(
    private readonly cipher: PersonalDataCipher,
    private readonly audit: AuditService,
    private readonly idempotency: IdempotencyService,
  ) {}

  async eraseMentions(manager: EntityManager, ctx: RequestContext, person: ErasedPerson): Promise<ErasureReport> {
    const matcher = new MentionMatcher({ names: person.fullName ? [person.fullName] : [], phones: person.phone ? [person.phone] : [] });
    const links = await this.linksOf(manager, person);
    const touched = new Map<string, Touched>();
    const touch = (row: Row, field: string) => {
      const id = `${row.entity}/${row.entity_id}`;
      const entry = touched.get(id) ?? { entity: row.entity, entityId: row.entity_id, location: row.location, fields: new Set<string>() };
      entry.fields.add(field);
      touched.set(id, entry);
    };

    if (person.kind === 'participant') {
      const parties = (await manager.query(
        `SELECT dispute_id::text AS dispute_id, position FROM dispute_parties WHERE participant_id = $1`,
        [person.id],
      )) as { dispute_id: string; position: number }[];
      const partySource = FREE_TEXT_SOURCES.find((s) => s.field === 'parties')!;
      for (const p of parties) {
        await manager.query(partySource.update, [`${p.dispute_id}/${p.position}`, this.cipher.encrypt('[erased]', partySource.context!)]);
        touch({ key: '', entity: 'dispute', entity_id: p.dispute_id, location: `/api/v1/disputes/${p.dispute_id}`, value: '', linked: true }, 'parties');
      }
    }

    for (const source of matcher.searchable ? FREE_TEXT_SOURCES : []) {
      await this.scan(manager, source, [person.countryCode, links.sessions, links.disputes, person.id], async (row) => {
        const next = this.redact(source, row, matcher);
        if (next === null) return;
        await manager.query(source.update, [row.key, next.value]);
        for (const field of next.fields) touch(row, field);
      });
    }

    for (const record of touched.values()) {
      const table = VERSIONED_TABLES[record.entity];
      if (table) await manager.query(`UPDATE ${table} SET version = version + 1 WHERE id = $1::uuid`, [record.entityId]);
      const changes: Record<string, unknown> = Object.fromEntries([...record.fields].sort().map((f) => [f, { from: REDACTED, to: REDACTED }]));
      changes.erasureOf = { to: `${person.kind}/${person.id}` };
      await this.audit.record(manager, actorOf(ctx), { action: 'redact', entity: record.entity, entityId: record.entityId, changes });
    }

    const locations = new Set([...[...touched.values()].map((r) => r.location), ...links.disputes.map((id) => `/api/v1/disputes/${id}`)]);
    const ids = [...new Set([...[...touched.values()].map((r) => r.entityId), ...links.disputes])];
    const storedResponses = await this.idempotency.withdrawResponses(
      manager,
      (location, json) => (location !== null && locations.has(location)) || ids.some((id) => json.includes(id)) || matcher.mentions(json),
    );
    return { records: touched.size, storedResponses };
  }

  /** The value with the person's mentions replaced, and which fields changed; null when none did. */
  private redact(source: FreeTextSource, row: Row, matcher: MentionMatcher): { value: string; fields: string[] } | null {
    const clear = source.context ? this.cipher.decrypt(row.value, source.context) : row.value;
    const seal = (text: string) => (source.context ? this.cipher.encrypt(text, source.context) : text);
    if (!source.json) {
      const redacted = matcher.redact(clear, row.linked);
      return redacted === null ? null : { value: seal(redacted), fields: [source.field] };
    }
    const fields = JSON.parse(clear) as Record<string, string | null>;
    const changed: string[] = [];
    for (const field of source.json) {
      const text = fields[field];
      const redacted = text === null || text === undefined ? null : matcher.redact(text, row.linked);
      if (redacted === null) continue;
      fields[field] = redacted;
      changed.push(field);
    }
    return changed.length ? { value: seal(JSON.stringify(fields)), fields: changed } : null;
  }

  /** Every row `source` selects, in batches through a cursor (a country can hold a million sessions). */
  private async scan(manager: EntityManager, source: FreeTextSource, params: unknown[], each: (row: Row) => Promise<void>): Promise<void> {
    // A cursor's statement must use every parameter it is given: the unused CTE names all four.
    const all = 'WITH erasure_params AS (SELECT $1::text, $2::uuid[], $3::uuid[], $4::uuid)';
    await manager.query(`DECLARE erasure_scan NO SCROLL CURSOR FOR ${all} ${source.select}`, params);
    try {
      for (;;) {
        const rows = (await manager.query(`FETCH FORWARD ${BATCH} FROM erasure_scan`)) as Row[];
        if (!rows.length) break;
        for (const row of rows) await each(row);
      }
    } finally {
      await manager.query('CLOSE erasure_scan');
    }
  }

  /** The sessions the person attended and the disputes they are a party to or mediate. */
  private async linksOf(manager: EntityManager, person: ErasedPerson): Promise<{ sessions: string[]; disputes: string[] }> {
    const column = person.kind === 'participant' ? 'participant_id' : 'police_partner_id';
    const sessions = (await manager.query(`SELECT DISTINCT session_id::text AS id FROM session_attendance WHERE ${column} = $1`, [person.id])) as { id: string }[];
    const disputes =
      person.kind === 'participant'
        ? ((await manager.query(
            `SELECT dispute_id::text AS id FROM dispute_parties WHERE participant_id = $1 UNION SELECT dispute_id::text FROM dispute_mediators WHERE participant_id = $1`,
            [person.id],
          )) as { id: string }[])
        : [];
    return { sessions: sessions.map((r) => r.id), disputes: disputes.map((r) => r.id) };
  }
}
