import { inLang, langFromAcceptLanguage, localized } from './localized';

describe('langFromAcceptLanguage', () => {
  it.each([
    [undefined, 'zh'],
    ['', 'zh'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['zh;q=0.5, en;q=0.8', 'en'],
    ['fr, en;q=0.9', 'zh'],
    ['en;q=0, zh', 'zh'],
    ['*', 'zh'],
  ])('reads %j as %s', (header, lang) => {
    expect(langFromAcceptLanguage(header)).toBe(lang);
  });
});

describe('inLang', () => {
  it('picks the language of a localized message and passes a plain string through', () => {
    const message = localized('未找到部门“gz-czj”', 'department "gz-czj" not found');
    expect(inLang(message, 'zh')).toBe('未找到部门“gz-czj”');
    expect(inLang(message, 'en')).toBe('department "gz-czj" not found');
    expect(inLang('/inputs/x', 'zh')).toBe('/inputs/x');
  });
});
