import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RequestContext } from '../common/context/request-context';
import { paginate } from '../common/pagination/cursor';
import { Page } from '../common/pagination/page-query.dto';
import { badRequest, notFound } from '../common/problem/problem';
import { applyScope, scopeCondition } from '../common/scope/scope';
import { CrossCountryDto, LearningSummaryDto, ListLearningSummariesQueryDto } from './dto/learning-summary.dto';
import type { ActiveLink, CrossCountryContent } from './learning-summary-content';
import type { CrossCountryFigures } from './learning-summary-figures';
import { parsePeriod } from './learning-summary-period';
import { LearningSummaryCrossCountry } from './learning-summary-cross-country.entity';
import { LearningSummary } from './learning-summary.entity';

function requirePeriod(value: string): void {
  if (!parsePeriod(value)) throw badRequest('The period is not one this API knows.', [{ field: 'period', message: 'must be a year (2016), a quarter (2016-Q3) or a month (2016-07), years 2000–2100' }]);
}

interface CrossCountryRow {
  period: string;
  from: string;
  to: string;
  country_codes: string[];
  countries: CrossCountryContent['countries'];
  links: ActiveLink[];
  figures: CrossCountryFigures | null;
  computed_at: Date;
  run_id: string;
  version: number;
}

/**
 * Reading stored summaries, scoped like the impact metrics in SQL: admin and hq_analyst see every
 * country, country_staff only theirs (other countries' parts and links are filtered out by
 * PostgreSQL), partners are refused by the controller.
 */
@Injectable()
export class LearningSummariesService {
  constructor(private readonly dataSource: DataSource) {}

  async list(ctx: RequestContext, query: ListLearningSummariesQueryDto): Promise<Page<LearningSummaryDto>> {
    const qb = applyScope(this.dataSource.getRepository(LearningSummary).createQueryBuilder('s'), ctx, { country: 's.country_code' });
    if (query.period !== undefined) {
      requirePeriod(query.period);
      qb.andWhere('s.period = :period', { period: query.period });
    }
    if (query.countryCode) qb.andWhere('s.country_code = :countryCode', { countryCode: query.countryCode });
    const page = await paginate(qb, query, { list: 'GET /learning-summaries', sortExpression: 's.period', tieBreaker: 's.country_code', keyOf: (s) => [s.period, s.countryCode] });
    return { data: page.data.map(toSummaryDto), nextCursor: page.nextCursor };
  }

  async crossCountry(ctx: RequestContext, period: string): Promise<CrossCountryDto> {
    requirePeriod(period);
    const part = scopeCondition(ctx.principal, { country: 'e.code' });
    const link = scopeCondition(ctx.principal, { country: 'x.code' });
    const change = scopeCondition(ctx.principal, { country: `(f.change->>'countryCode')` });
    const row = await this.dataSource
      .createQueryBuilder()
      .from(LearningSummaryCrossCountry, 'c')
      .select('c.period', 'period')
      .addSelect(`to_char(c.period_from, 'YYYY-MM-DD')`, 'from')
      .addSelect(`to_char(c.period_to, 'YYYY-MM-DD')`, 'to')
      .addSelect(`ARRAY(SELECT e.code FROM jsonb_each(c.content->'countries') AS e(code, part) WHERE ${part.sql} ORDER BY e.code)`, 'country_codes')
      .addSelect(
        `(SELECT COALESCE(jsonb_object_agg(e.code, e.part), '{}'::jsonb) FROM jsonb_each(c.content->'countries') AS e(code, part) WHERE ${part.sql})`,
        'countries',
      )
      .addSelect(
        `(SELECT COALESCE(jsonb_agg(l.link ORDER BY l.ord), '[]'::jsonb) FROM jsonb_array_elements(c.content->'crossCountryLinks') WITH ORDINALITY AS l(link, ord)
           WHERE EXISTS (SELECT 1 FROM (VALUES (l.link->'from'->>'countryCode'), (l.link->'to'->>'countryCode')) AS x(code) WHERE ${link.sql}))`,
        'links',
      )
      // The strongest indicator changes of the countries the caller sees, in their stored order.
      .addSelect(
        `CASE WHEN c.figures IS NOT NULL THEN jsonb_build_object('strongestIndicatorChanges',
           (SELECT COALESCE(jsonb_agg(f.change ORDER BY f.ord), '[]'::jsonb)
              FROM jsonb_array_elements(c.figures->'strongestIndicatorChanges') WITH ORDINALITY AS f(change, ord) WHERE ${change.sql})) END`,
        'figures',
      )
      .addSelect('c.computed_at', 'computed_at')
      .addSelect('c.run_id', 'run_id')
      .addSelect('c.version', 'version')
      .where('c.period = :period', { period })
      .setParameters({ ...part.params, ...link.params, ...change.params })
      .getRawOne<CrossCountryRow>();
    if (!row) throw notFound('cross-country summary of this period (run it first)');
    return {
      period: row.period,
      from: row.from,
      to: row.to,
      countryCodes: row.country_codes,
      countries: row.countries,
      crossCountryLinks: row.links,
      figures: row.figures,
      provenance: { computedAt: row.computed_at.toISOString(), sourceRows: { countrySummaries: row.country_codes.length, crossCountryLinks: row.links.length } },
      runId: row.run_id,
      version: row.version,
    };
  }
}

function toSummaryDto(s: LearningSummary): LearningSummaryDto {
  const { resolvedDisputes, initiativesCompleted, crossCountryLinks, provenance } = s.content;
  return {
    id: s.id,
    period: s.period,
    countryCode: s.countryCode,
    from: s.periodFrom,
    to: s.periodTo,
    resolvedDisputes,
    initiativesCompleted,
    crossCountryLinks,
    provenance,
    figures: s.figures,
    runId: s.runId,
    version: s.version,
  };
}
