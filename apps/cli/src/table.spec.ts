import fc from 'fast-check';
import { displayWidth, padDisplay, renderTable, wrapText } from './table';

describe('displayWidth', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['94.622', 6],
    ['预算完成率', 10],
    ['（2021年度）', 12],
    ['政府采购执行率84.48%', 20],
    ['ｶ', 1], // halfwidth katakana stays narrow
    ['，。：', 6],
    ['𠀋', 2], // CJK extension B, outside the BMP
    ['e\u0301', 1], // a combining accent takes no column
    ['“三公经费”', 10], // curly quotes are ambiguous width: narrow outside CJK locales
  ])('%j takes %i columns', (text, width) => {
    expect(displayWidth(text)).toBe(width);
  });
});

describe('padDisplay', () => {
  it('pads Chinese text by display width', () => {
    expect(padDisplay('得分', 6)).toBe('得分  ');
    expect(padDisplay('2', 4, 'right')).toBe('   2');
  });

  it('never truncates', () => {
    expect(padDisplay('管理效能', 4)).toBe('管理效能');
  });
});

describe('wrapText', () => {
  it('breaks Chinese between any two characters by display width', () => {
    expect(wrapText('已完成年度指标值', 6)).toEqual(['已完成', '年度指', '标值']);
  });

  it('does not put half of a wide character on a line', () => {
    expect(wrapText('a预算', 4)).toEqual(['a预', '算']);
  });

  it('breaks Latin text at spaces and keeps numbers whole', () => {
    expect(wrapText('score 94.622 of 100', 10)).toEqual(['score', '94.622 of', '100']);
    expect(wrapText('得分84.48%×2=1.69', 12)).toEqual(['得分84.48%×2', '=1.69']);
  });

  it('does not start a line with closing punctuation', () => {
    expect(wrapText('人才引进、聘用数量', 8)).toEqual(['人才引', '进、聘用', '数量']);
    expect(wrapText('得1分。详见', 6)).toEqual(['得1', '分。详', '见']);
    expect(wrapText('无得分）；共3项', 8)).toEqual(['无得', '分）；共', '3项']);
  });

  it('does not end a line with opening punctuation', () => {
    expect(wrapText('台账（固定资产）', 6)).toEqual(['台账', '（固定', '资产）']);
  });

  it('never exceeds the width and never loses a character (property)', () => {
    const char = fc.constantFrom(...'预算完成率（）《》，。、；“”abc 123.%-/'.split(''));
    fc.assert(
      fc.property(fc.array(char, { maxLength: 80 }), fc.integer({ min: 6, max: 40 }), (chars, width) => {
        const text = chars.join('');
        const lines = wrapText(text, width);
        for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(width);
        expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
      }),
    );
  });

  it('keeps existing line breaks', () => {
    expect(wrapText('一\n二', 10)).toEqual(['一', '二']);
  });

  it('keeps every line within the width', () => {
    const text =
      '（474432.89-535707.57）/535707.57=-11.44%，差异率在10%（不含）-20%（含）之间，得1分。详见2021年度部门决算报表';
    for (const width of [7, 13, 20, 31]) {
      const lines = wrapText(text, width);
      expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
      for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(width);
    }
  });
});

describe('renderTable', () => {
  it('aligns columns of Chinese and numbers', () => {
    const lines = renderTable(
      [{ header: '指标' }, { header: '分值', align: 'right' }],
      [['管理效能', '45'], 'rule', ['合计', '100']],
    );
    expect(lines).toEqual(['指标      分值', '--------------', '管理效能    45', '--------------', '合计       100']);
  });

  it('wraps the wrapping column to fit the width', () => {
    const lines = renderTable(
      [{ header: '指标' }, { header: '评分依据', wrap: true, minWidth: 8 }],
      [['预算完成率', '支出进度99.66%，扣0.068分']],
      { maxWidth: 24 },
    );
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(24);
    expect(lines.slice(2)).toEqual(['预算完成率  支出进度', '            99.66%，扣', '            0.068分']);
  });

  it('keeps the indent of an indented cell on its continuation lines', () => {
    const lines = renderTable(
      [{ header: '指标', wrap: true, maxWidth: 10 }],
      [[{ text: '人才引进、聘用数量', indent: 2 }]],
    );
    expect(lines).toEqual(['指标', '----------', '  人才引', '  进、聘用', '  数量']);
  });
});
