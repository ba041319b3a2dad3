import { asciiFallback, attachment } from './content-disposition';

describe('attachment (RFC 6266)', () => {
  it('puts a readable ASCII filename first and the UTF-8 name as filename*', () => {
    expect(attachment('gz-kjj-2021-自评表.xlsx', 'gz-kjj-2021-zipingbiao.xlsx')).toBe(
      `attachment; filename="gz-kjj-2021-zipingbiao.xlsx"; filename*=UTF-8''gz-kjj-2021-%E8%87%AA%E8%AF%84%E8%A1%A8.xlsx`,
    );
  });

  it('drops what ASCII cannot say, and never leaves a quote, backslash, percent sign or path', () => {
    expect(asciiFallback('gz-kjj-2021-自评表.xlsx')).toBe('gz-kjj-2021.xlsx');
    expect(asciiFallback('汇总表.csv')).toBe('download.csv');
    expect(asciiFallback('a"b\\c%d;e/f.xlsx')).toBe('abcdef.xlsx');
    expect(asciiFallback('2021 年 汇总 (终稿).xlsx')).toBe('2021 ().xlsx');
    expect(attachment("it's (1).csv")).toBe(
      `attachment; filename="it's (1).csv"; filename*=UTF-8''it%27s%20%281%29.csv`,
    );
  });
});
