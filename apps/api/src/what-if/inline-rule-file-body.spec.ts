import fc from 'fast-check';
import { asValidationPipeLeavesIt } from '@jiping/scoring-workers';
import { createValidationPipe } from '../common/validation';
import { WhatIfScenarioDto } from './dto/what-if-request.dto';
import { findInlineRuleFiles, PLACEHOLDER_KEY, withoutInlineRuleFiles } from './inline-rule-file-body';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const parses = (buffer: Buffer): boolean => {
  try {
    JSON.parse(buffer.toString('utf8'));
    return true;
  } catch {
    return false;
  }
};

/** The body as JSON.parse reads it, each placeholder of the split body replaced by its file parsed. */
function reassembled(buffer: Buffer): unknown {
  const split = withoutInlineRuleFiles(buffer)!;
  const put = (value: unknown): unknown => {
    const index = (value as Record<string, unknown> | null)?.[PLACEHOLDER_KEY];
    return typeof index === 'number' ? JSON.parse(Buffer.from(split.files[index]).toString('utf8')) : value;
  };
  const body = split.body as Record<string, unknown> & { scenarios?: unknown };
  if ('ruleSet' in body) body.ruleSet = put(body.ruleSet);
  if (Array.isArray(body.scenarios)) {
    for (const scenario of body.scenarios as Array<Record<string, unknown>>) {
      if (scenario && typeof scenario === 'object' && 'ruleSet' in scenario) scenario.ruleSet = put(scenario.ruleSet);
    }
  }
  return body;
}

/** Keys a what-if body and a rule file have, and the ones a JSON parser or a validation pipe treats specially. */
const key = fc.constantFrom(
  'ruleSet',
  'scenarios',
  'department',
  'year',
  'id',
  'children',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '指标',
  'a\\"b',
  '',
);
const leaf = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const { value: jsonValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  ),
}));
const body = fc.record(
  {
    department: fc.string(),
    ruleSet: fc.oneof(jsonValue, fc.dictionary(key, jsonValue, { maxKeys: 5 })),
    scenarios: fc.array(fc.dictionary(key, jsonValue, { maxKeys: 4 }), { maxLength: 3 }),
  },
  { requiredKeys: [] },
);
/** A JSON text written with spaces, escapes and non-ASCII text as clients write it. */
const text = fc
  .tuple(body, fc.constantFrom(undefined, 1, '\t'))
  .map(([value, indent]) => JSON.stringify(value, null, indent));

describe(findInlineRuleFiles.name, () => {
  it('finds the rule files of a what-if body: a single scenario and a list, and nothing else', () => {
    const file = '{"id":"r","indicators":[{"code":"A","ruleSet":{"x":1}}]}';
    const one = bytes(`{"department":"gz-kjj","year":2021,"ruleSet":${file}}`);
    expect(findInlineRuleFiles(one)).toEqual({ from: 0, ranges: [{ start: 45, end: 45 + file.length }] });
    const list = bytes(`{"scenarios":[{"ruleSet":"published"},{"ruleSet":${file}}, {"ruleSet" : {}}]}`);
    expect(findInlineRuleFiles(list)!.ranges.map(({ start, end }) => list.subarray(start, end).toString())).toEqual([
      file,
      '{}',
    ]);
    expect(findInlineRuleFiles(bytes('{"changes":[{"value":{"ruleSet":{}}}]}'))).toEqual({ from: 0, ranges: [] });
    // with a byte order mark, as body-parser reads it
    expect(findInlineRuleFiles(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), one]))!.from).toBe(3);
  });

  it('leaves to the JSON parser what is not a JSON object, and keys it would have to decode', () => {
    for (const refused of [
      '',
      '[]',
      '"ruleSet"',
      '{"ruleSet":{}',
      '{"ruleSet":{}}}',
      '{"ruleSet":{"a":1,}}',
      '{"ruleSet":{"a":"\u0001"}}',
      '{"ruleSet":{"a":"\\x"}}',
      '{"ruleSet":{"a":"\\u12g4"}}',
      '{"ruleSet":{"a":01}}',
      '{"ruleSet":{"a":1.}}',
      '{"ruleSet":{"a":tru}}',
      '{"ruleSet":{"a":1}} x',
      '{"rule\\u0053et":{"a":1}}',
      '{"scenarios":[{"rule\\u0053et":{"a":1}}]}',
    ]) {
      expect([refused, findInlineRuleFiles(bytes(refused))]).toEqual([refused, undefined]);
    }
  });

  it('never takes a body JSON.parse refuses (bytes changed at random)', () => {
    const edit = fc.tuple(
      fc.nat(),
      fc.constantFrom(...'{}[]",:\\ \t\n0123456789eE.+-tfnul'.split('').map((c) => c.charCodeAt(0)), 0x01, 0xe4, 0x80),
      fc.constantFrom('insert', 'replace', 'delete'),
    );
    fc.assert(
      fc.property(text, fc.array(edit, { minLength: 1, maxLength: 3 }), (json, edits) => {
        const changed = [...bytes(json)];
        for (const [at, byte, how] of edits) {
          const i = changed.length === 0 ? 0 : at % changed.length;
          if (how === 'insert') changed.splice(i, 0, byte);
          else if (how === 'replace') changed[i] = byte;
          else changed.splice(i, 1);
        }
        const buffer = Buffer.from(changed);
        expect(findInlineRuleFiles(buffer) === undefined || parses(buffer)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('splits a body so that, each file put back, it is the body JSON.parse reads (duplicate keys too)', () => {
    fc.assert(
      fc.property(text, (json) => {
        const buffer = bytes(json);
        const found = findInlineRuleFiles(buffer);
        // only keys that need decoding are left to the parser
        expect(found !== undefined || /\\/.test(json)).toBe(true);
        expect(found?.ranges.length ? reassembled(buffer) : JSON.parse(json)).toEqual(JSON.parse(json));
      }),
      { numRuns: 1000 },
    );
    const duplicated = bytes(
      '{"ruleSet":{"a":1},"scenarios":[{"ruleSet":{"b":2},"ruleSet":{"c":3}}],"ruleSet":{"d":4}}',
    );
    expect(reassembled(duplicated)).toEqual(JSON.parse(duplicated.toString()));
  });
});

describe(asValidationPipeLeavesIt.name, () => {
  it('leaves an inline rule file as the validation pipe leaves it in a what-if body', async () => {
    const pipe = createValidationPipe();
    await fc.assert(
      fc.asyncProperty(fc.dictionary(key, jsonValue, { maxKeys: 6 }), async (file) => {
        const json = JSON.stringify(file);
        const piped = (await pipe.transform(
          { department: 'gz-kjj', year: 2021, ruleSet: JSON.parse(json) },
          { type: 'body', metatype: WhatIfScenarioDto },
        )) as WhatIfScenarioDto;
        expect(JSON.stringify(asValidationPipeLeavesIt(JSON.parse(json)))).toBe(JSON.stringify(piped.ruleSet));
      }),
      { numRuns: 500 },
    );
  });
});
