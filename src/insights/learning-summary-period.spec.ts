import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePeriod, previousMonth } from './learning-summary-period';

describe('parsePeriod', () => {
  it('turns a year, a quarter and a month into half-open date ranges', () => {
    assert.deepEqual(parsePeriod('2016'), { label: '2016', kind: 'year', from: '2016-01-01', toExclusive: '2017-01-01', to: '2016-12-31' });
    assert.deepEqual(parsePeriod('2016-Q3'), { label: '2016-Q3', kind: 'quarter', from: '2016-07-01', toExclusive: '2016-10-01', to: '2016-09-30' });
    assert.deepEqual(parsePeriod('2016-Q4'), { label: '2016-Q4', kind: 'quarter', from: '2016-10-01', toExclusive: '2017-01-01', to: '2016-12-31' });
    assert.deepEqual(parsePeriod('2016-02'), { label: '2016-02', kind: 'month', from: '2016-02-01', toExclusive: '2016-03-01', to: '2016-02-29' });
    assert.deepEqual(parsePeriod('2015-12'), { label: '2015-12', kind: 'month', from: '2015-12-01', toExclusive: '2016-01-01', to: '2015-12-31' });
  });

  it('refuses anything else', () => {
    for (const bad of ['16', '2016-Q0', '2016-Q5', '2016-q3', '2016-13', '2016-00', '2016-7', '2016-07-01', ' 2016', '2016 ', '1999', '2101', '', 2016, null, undefined, '2016-W01']) {
      assert.equal(parsePeriod(bad), null, String(bad));
    }
  });
});

describe('previousMonth', () => {
  it('is the month before, across a year boundary too', () => {
    assert.equal(previousMonth(new Date('2026-02-01T02:30:00Z')), '2026-01');
    assert.equal(previousMonth(new Date('2026-01-15T00:00:00Z')), '2025-12');
  });
});
