import type { RuleFile } from './rule-file.types';

/** What a new draft changes of the version it is made from; everything else is copied. */
export interface DraftChanges {
  /** The draft's fiscal year (default: the base's). */
  fiscalYear?: number;
  /** The draft's version (default: draftVersion). */
  version?: string;
  /** The draft's title (default: the base's, with the base's year replaced by the draft's). */
  title?: string;
  /** The draft's effective date YYYY-MM-DD (default: the base's, moved to the draft's year). */
  effectiveFrom?: string;
}

/**
 * The version a draft made from `version` gets unless told otherwise. For the same year: the next minor version
 * (2021.1.0 → 2021.2.0; 3 → 4; v2 → v3; otherwise "<version>-2"). For another year, a version that starts with the
 * base's year starts over in the new one (2021.1.0 → 2022.1.0), as a bureau numbers its releases.
 */
export function draftVersion(version: string, baseYear?: number, year?: number): string {
  if (baseYear !== undefined && year !== undefined && year !== baseYear) {
    const yearly = new RegExp(`^${baseYear}(\\.\\d+)?(\\.\\d+)?$`).exec(version);
    if (yearly) return `${year}${yearly[1] ? '.1' : ''}${yearly[2] ? '.0' : ''}`;
  }
  const dotted = /^(\d+)\.(\d+)(\.\d+)?$/.exec(version);
  if (dotted) return `${dotted[1]}.${Number(dotted[2]) + 1}${dotted[3] ? '.0' : ''}`;
  const trailing = /^(.*?)(\d+)$/.exec(version);
  if (trailing) return `${trailing[1]}${Number(trailing[2]) + 1}`;
  return `${version}-2`;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * What a person changes by hand when a copy of a rule file moves to another fiscal year (docs/rule-format.md §14):
 * the embedded tests' submissions of the base's year now carry the draft's year (or they would fail to validate), and
 * a later year records the base as the version it continues (`continues`: id, version and fiscal year; the inputs are
 * the base's, so nothing needs mapping), so that what-if and impact can score the base year's data under the draft.
 * Mutates `draft`; nothing happens when the year is the base's.
 */
export function followFiscalYear(draft: RuleFile, base: RuleFile): void {
  if (draft.fiscalYear === base.fiscalYear) return;
  for (const test of draft.tests) {
    const submission = test.submission;
    if (isObject(submission) && submission.fiscalYear === base.fiscalYear) submission.fiscalYear = draft.fiscalYear;
  }
  if (draft.fiscalYear > base.fiscalYear) {
    draft.continues = { id: base.id, version: base.version, fiscalYear: base.fiscalYear };
  }
}

/**
 * A new draft made from a stored rule file, exactly as a person would copy it: the same content with the next
 * version; for another fiscal year also the year in the title and effective date, the tests' year and `continues`
 * (followFiscalYear). The result is a plain rule file with no field the format does not define.
 */
export function deriveDraft(base: RuleFile, changes: DraftChanges = {}): RuleFile {
  const draft = structuredClone(base);
  const year = changes.fiscalYear ?? base.fiscalYear;
  draft.fiscalYear = year;
  draft.version = changes.version ?? draftVersion(base.version, base.fiscalYear, year);
  const moved = year !== base.fiscalYear;
  draft.title = changes.title ?? (moved ? base.title.split(String(base.fiscalYear)).join(String(year)) : base.title);
  if (changes.effectiveFrom !== undefined) draft.effectiveFrom = changes.effectiveFrom;
  else if (moved && base.effectiveFrom && /^\d{4}-/.test(base.effectiveFrom)) {
    draft.effectiveFrom = `${year}${base.effectiveFrom.slice(4)}`;
    if (draft.effectiveFrom.endsWith('-02-29') && !isLeapYear(year)) draft.effectiveFrom = `${year}-02-28`;
  }
  followFiscalYear(draft, base);
  return draft;
}

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
