import fc from 'fast-check';
import Decimal from 'decimal.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, type RuleFile, toRuleSet, validateRuleFile, valueAtPointer } from '@jiping/rules';
import { renderEditableRuleWorkbook } from './export-rule-workbook';
import { importRuleWorkbook } from './import-rule-workbook';
import { ruleWorkbookLayout } from './rule-workbook-layout';

jest.setTimeout(180_000);

const ROOT = join(__dirname, '..', '..', '..', '..');
const BASE = JSON.parse(readFileSync(join(ROOT, 'rules/guangzhou/department-overall/2021.json'), 'utf8')) as RuleFile;

/** Every pointer of the base that an editable cell holds, with the kind of value. */
const FIELDS = ruleWorkbookLayout(BASE)
  .sheets.flatMap((sheet) => sheet.rows.flatMap((row) => row.cells))
  .flatMap((cell) => (cell?.field && !cell.field.band ? [cell.field] : []));
// the version cell shows the next version, not the base's: it is left out
const TEXTS = FIELDS.filter((f) => f.type.kind === 'text' && typeof f.base === 'string' && f.shown === undefined).map(
  (f) => f.pointer,
);
const DECIMALS = FIELDS.filter((f) => f.type.kind === 'decimal' && typeof f.base === 'string').map((f) => f.pointer);

/** Text as rule files may hold it: any Unicode, line breaks (\n and \r\n), spaces at either end, control characters. */
const text = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }),
  fc.string({
    minLength: 1,
    maxLength: 20,
    unit: fc.constantFrom('甲', ' ', '\n', '\r\n', '\t', '%', '=', '"', '\u0007', '😀'),
  }),
);
/** The same decimal spelt otherwise: trailing zeros, or a long tail Excel cannot hold as a number. */
const spelling = fc.constantFrom('0', '00', '000000', '0000000000000000000001');

const setAt = (file: unknown, pointer: string, value: unknown): void => {
  const tokens = pointer.slice(1).split('/');
  const key = tokens.pop()!;
  const parent = tokens.length === 0 ? file : valueAtPointer(file, '/' + tokens.join('/'));
  (parent as Record<string, unknown>)[key] = value;
};

/** The pointer of the first value where two JSON documents differ (readable where a whole file is not). */
function firstDifference(a: unknown, b: unknown, pointer = ''): string | undefined {
  if (canonicalJson(a) === canonicalJson(b)) return undefined;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const found = firstDifference(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        `${pointer}/${key}`,
      );
      if (found) return found;
    }
  }
  return `${pointer}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`;
}

describe('editable workbook round trip (property)', () => {
  it('a workbook exported and imported unchanged gives back exactly the file it was exported from', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...TEXTS), text), { maxLength: 8 }),
        fc.array(fc.tuple(fc.constantFrom(...DECIMALS), spelling), { maxLength: 8 }),
        async (texts, decimals) => {
          const file = structuredClone(BASE);
          for (const [pointer, value] of texts) setAt(file, pointer, value);
          for (const [pointer, tail] of decimals) {
            const value = valueAtPointer(file, pointer) as string;
            // "2" → "2.00" (same value); a long tail changes the value by 10^-22 (a decimal Excel cannot hold)
            const spelt = tail.endsWith('1')
              ? new Decimal(value).plus(`0.${tail}`).toFixed()
              : `${value}${value.includes('.') ? '' : '.'}${tail}`;
            setAt(file, pointer, spelt);
          }
          fc.pre(validateRuleFile(file).length === 0);
          const base = toRuleSet(file);
          const imported = await importRuleWorkbook(base, await renderEditableRuleWorkbook(base));
          expect(imported.problems).toEqual([]);
          expect(firstDifference({ ...imported.draft, version: '' }, { ...file, version: '' })).toBeUndefined();
        },
      ),
      { numRuns: 15 },
    );
  });
});
