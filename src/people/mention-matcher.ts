import { ERASED } from '../common/crypto/free-text';

/**
 * Finds where free text names an erased person, and replaces each mention with "[erased]".
 *
 * What counts as a mention:
 * - the full name as registered, its words in order, whatever the case, accents, punctuation and
 *   spacing between them ("AMINA  al-Khalil", "Amína Al Khalil");
 * - the phone number, by its last eight digits (all of them when shorter, and not below six),
 *   in any run of digits and the separators people type (spaces, dashes, dots, brackets, a
 *   leading +), in Western or Arabic-Indic digits: "+964 770 123 4567", "0770-123-4567", "٠٧٧٠١٢٣٤٥٦٧";
 * - with `nameParts`, also each word of the name of three letters or more on its own ("Amina",
 *   "Khalil"): used for text of records the person is linked to (a dispute she is a party to, a
 *   session she attended), where "Amina agreed…" is about her. Elsewhere a first name alone is too
 *   likely to be somebody else's.
 * A mention is whole words only: "Amina" is not found in "Aminata".
 */
export class MentionMatcher {
  private readonly names: RegExp | null;
  private readonly parts: RegExp | null;
  private readonly phones: string[];

  constructor(identity: { names: readonly string[]; phones: readonly string[] }) {
    const tokenLists = identity.names.map(tokens).filter((t) => t.length > 0);
    this.names = tokenLists.length ? wordsPattern(tokenLists.map((t) => t.map(escape).join('[^\\p{L}\\p{N}]+'))) : null;
    const parts = [...new Set(tokenLists.flat().filter((t) => [...t].length >= 3))];
    this.parts = parts.length ? wordsPattern(parts.map(escape)) : null;
    this.phones = identity.phones.map((p) => digits(fold(p).folded)).filter((d) => d.length >= 6).map((d) => d.slice(-8));
  }

  /** False when there is nothing to look for (a person recorded without a name, or erased before). */
  get searchable(): boolean {
    return this.names !== null || this.phones.length > 0;
  }

  /** Whether `text` mentions the person (full name or phone; name parts are not enough). */
  mentions(text: string): boolean {
    return this.ranges(fold(text), false).length > 0;
  }

  /** The text with every mention replaced, or null when there is none. */
  redact(text: string, nameParts: boolean): string | null {
    const folded = fold(text);
    const ranges = this.ranges(folded, nameParts);
    if (!ranges.length) return null;
    let out = '';
    let at = 0;
    for (const [start, end] of merge(ranges)) {
      out += text.slice(at, start) + ERASED;
      at = end;
    }
    return out + text.slice(at);
  }

  /** Mentions as [start, end) ranges of the original text. */
  private ranges(f: Folded, nameParts: boolean): [number, number][] {
    const found: [number, number][] = [];
    const add = (start: number, end: number) => found.push([f.start[start], f.end[end - 1]]);
    for (const pattern of [this.names, nameParts ? this.parts : null]) {
      if (!pattern) continue;
      for (const m of f.folded.matchAll(pattern)) add(m.index, m.index + m[0].length);
    }
    if (this.phones.length) {
      for (const m of f.folded.matchAll(DIGIT_RUN)) {
        const run = digits(m[0]);
        if (this.phones.some((phone) => run.includes(phone))) add(m.index, m.index + m[0].length);
      }
    }
    return found;
  }
}

/** Text folded for matching (compatibility forms, no accents, lower case), with where each folded code unit came from. */
interface Folded {
  folded: string;
  /** Original start and end (exclusive) of the character each folded code unit belongs to. */
  start: number[];
  end: number[];
}

function fold(text: string): Folded {
  let folded = '';
  const start: number[] = [];
  const end: number[] = [];
  for (let i = 0; i < text.length; ) {
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    const f = ch.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) & 0xf));
    for (let k = 0; k < f.length; k++) {
      start.push(i);
      end.push(i + ch.length);
    }
    folded += f;
    i += ch.length;
  }
  return { folded, start, end };
}

const tokens = (name: string) => fold(name).folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
const wordsPattern = (alternatives: string[]) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'gu');
const digits = (s: string) => s.replace(/\D/g, '');
/** A phone number as typed: digits with spaces, dashes, dots, slashes or brackets between them. */
const DIGIT_RUN = /\+?\(?\d[\d\s().\-/]*\d/g;

function merge(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}
