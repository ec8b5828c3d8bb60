import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyIndicatorChanges } from './indicator-change.sql';
import type { ImpactRow } from './impact-metrics.model';
import { strongestIndicatorChanges, SummaryFigures } from './learning-summary-figures';

function figures(changes: Partial<Record<keyof ImpactRow['indicatorChange'], number | null>>): SummaryFigures {
  const indicatorChange = emptyIndicatorChanges();
  for (const [indicator, percentChange] of Object.entries(changes)) {
    indicatorChange[indicator as keyof typeof indicatorChange] = { months: 6, baseline: 10, latest: 10, percentChange };
  }
  return { smallCellThreshold: 5, impact: { indicatorChange } as ImpactRow };
}

describe('strongestIndicatorChanges', () => {
  it('ranks by the size of the change, falls and rises alike, then by country and indicator', () => {
    const ranked = strongestIndicatorChanges([
      { countryCode: 'NP', figures: figures({ trust_score: 20, reported_crimes: -20 }) },
      { countryCode: 'IQ', figures: figures({ reported_crimes: -75, violent_incidents: 0 }) },
      { countryCode: 'LY', figures: figures({ trust_score: 20 }) },
    ]);
    assert.deepEqual(
      ranked.map((c) => `${c.countryCode} ${c.indicator} ${c.percentChange}`),
      ['IQ reported_crimes -75', 'LY trust_score 20', 'NP reported_crimes -20', 'NP trust_score 20', 'IQ violent_incidents 0'],
    );
  });

  it('leaves out indicators without a percent change and summaries without figures, and keeps at most the limit', () => {
    const stored = [
      { countryCode: 'TZ', figures: null },
      { countryCode: 'YE', figures: figures({ trust_score: null }) },
      { countryCode: 'ML', figures: figures({ reported_crimes: 5, violent_incidents: 50, trust_score: -10 }) },
    ];
    assert.deepEqual(strongestIndicatorChanges(stored, 2).map((c) => c.indicator), ['violent_incidents', 'trust_score']);
    assert.equal(strongestIndicatorChanges(stored).length, 3);
  });
});
