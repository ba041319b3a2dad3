import fc from 'fast-check';
import {
  arePointersRelated,
  childPointer,
  escapePointerToken,
  isPointerWithin,
  parsePointer,
  pointerProblem,
  toPointer,
  valueAtPointer,
} from './json-pointer';

/** Tokens with the characters RFC 6901 escapes, and the look-alikes it does not. */
const token = fc.oneof(
  fc.string(),
  fc.constantFrom('~', '/', '~0', '~1', '~01', '/~', 'a~1b', '', '0', '01', 'met', '预算编制'),
);

describe('JSON pointers (RFC 6901)', () => {
  it('builds and reads back any tokens', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 6 }), (tokens) => {
        expect(parsePointer(toPointer(...tokens))).toEqual(tokens);
      }),
    );
  });

  it('writes every valid pointer back as it was read', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 6 }), (tokens) => {
        const pointer = toPointer(...tokens);
        expect(toPointer(...parsePointer(pointer)!)).toBe(pointer);
      }),
    );
  });

  it('reads the examples of RFC 6901 §5', () => {
    const document = {
      foo: ['bar', 'baz'],
      '': 0,
      'a/b': 1,
      'c%d': 2,
      'e^f': 3,
      'g|h': 4,
      'i\\j': 5,
      'k"l': 6,
      ' ': 7,
      'm~n': 8,
    };
    const expected: Array<[string, unknown]> = [
      ['', document],
      ['/foo', ['bar', 'baz']],
      ['/foo/0', 'bar'],
      ['/', 0],
      ['/a~1b', 1],
      ['/c%d', 2],
      ['/e^f', 3],
      ['/g|h', 4],
      ['/i\\j', 5],
      ['/k"l', 6],
      ['/ ', 7],
      ['/m~0n', 8],
    ];
    for (const [pointer, value] of expected) expect(valueAtPointer(document, pointer)).toEqual(value);
  });

  it('unescapes ~1 before ~0, so "~01" is "~1" and not "/"', () => {
    expect(parsePointer('/~01')).toEqual(['~1']);
    expect(escapePointerToken('~1')).toBe('~01');
    expect(toPointer('inputs', 'a/b', 'c~d')).toBe('/inputs/a~1b/c~0d');
    expect(childPointer('/changes', 0, 'value')).toBe('/changes/0/value');
  });

  it('refuses texts that are not pointers, saying why in Chinese and English', () => {
    expect(parsePointer('inputs/procurementActual')).toBeUndefined();
    expect(pointerProblem('inputs/procurementActual')).toEqual({
      zh: '“inputs/procurementActual”不是 JSON 指针：指针以“/”开头（RFC 6901），如 /inputs/procurementActual',
      en: 'a JSON pointer starts with "/" (RFC 6901), e.g. /inputs/procurementActual',
    });
    expect(parsePointer('/inputs/a~2b')).toBeUndefined();
    expect(pointerProblem('/inputs/a~')?.en).toBe(
      '"~" must be followed by 0 or 1 in a JSON pointer (RFC 6901): ~0 is "~", ~1 is "/"',
    );
    expect(pointerProblem(42)?.zh).toBe('应为 JSON 指针字符串，如 /inputs/procurementActual');
    expect(pointerProblem('')).toBeUndefined();
  });

  it('walks own members and list indexes only', () => {
    const document = { list: ['a', 'b'], object: { key: 'v' } };
    expect(valueAtPointer(document, '/list/1')).toBe('b');
    expect(valueAtPointer(document, '/list/01')).toBeUndefined();
    expect(valueAtPointer(document, '/list/2')).toBeUndefined();
    expect(valueAtPointer(document, '/object/toString')).toBeUndefined();
    expect(valueAtPointer(document, '/object/__proto__')).toBeUndefined();
  });

  it('tells a pointer within another by whole tokens', () => {
    expect(isPointerWithin('/inputs/a/met', '/inputs/a')).toBe(true);
    expect(isPointerWithin('/inputs/ab', '/inputs/a')).toBe(false);
    expect(isPointerWithin('/inputs/a', '')).toBe(true);
    expect(arePointersRelated('/inputs/a', '/inputs/a/met')).toBe(true);
    expect(arePointersRelated('/inputs/a', '/inputs/b')).toBe(false);
  });
});
