import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MentionMatcher } from './mention-matcher';

describe('MentionMatcher', () => {
  const amina = new MentionMatcher({ names: ['Amina Al-Khalil'], phones: ['+964 770 123 4567'] });

  it('finds the full name whatever the case, accents, punctuation and spacing', () => {
    for (const text of ['Threats against Amina Al-Khalil.', 'threats against AMINA  al khalil', 'Threats against Amína Al‑Khalil', 'amina, al-khalil was threatened']) {
      assert.equal(amina.redact(text, false)?.includes('[erased]'), true, text);
      assert.equal(amina.mentions(text), true, text);
    }
    assert.equal(amina.redact('Threats against Amina Al-Khalil and her son.', false), 'Threats against [erased] and her son.');
  });

  it('finds the phone number in any of the ways people type it, Arabic-Indic digits too', () => {
    for (const [text, expected] of [
      ['Call her on 0770 123 4567 tonight', 'Call her on [erased] tonight'],
      ['phone: +964-770-123-4567.', 'phone: [erased].'],
      ['(0770) 123.45.67', '[erased]'],
      ['رقمها ٠٧٧٠١٢٣٤٥٦٧', 'رقمها [erased]'],
    ]) assert.equal(amina.redact(text, false), expected, text);
  });

  it('finds a name part alone only when asked (records the person is linked to), and whole words only', () => {
    assert.equal(amina.redact('Amina agreed to meet the elders.', false), null);
    assert.equal(amina.mentions('Amina agreed to meet the elders.'), false);
    assert.equal(amina.redact('Amina agreed; Khalil family paid.', true), '[erased] agreed; [erased] family paid.');
    assert.equal(amina.redact('Aminata and Al agreed.', true), null, 'not inside another word, and not a word under three letters');
  });

  it('leaves text that does not mention the person alone, and other numbers too', () => {
    assert.equal(amina.redact('Two families claim the plot; case 2016/114 (tel. 0770 999 0000).', true), null);
    assert.equal(new MentionMatcher({ names: ['Sita Sharma'], phones: [] }).redact('Sita Sharma, 12', false), '[erased], 12');
  });

  it('ignores a phone too short to tell apart from other numbers', () => {
    const short = new MentionMatcher({ names: [], phones: ['12-34'] });
    assert.equal(short.redact('Room 1234', false), null);
  });
});
