import { plainText } from '../apps/web/src/shared/plainText';

describe('plainText: an API message as a clerk reads it on a page', () => {
  it('drops the route in brackets and names the department as the clerk knows it', () => {
    expect(
      plainText(
        'gz-kjj 2021年度当前为「已提交」，不能修改绩效目标或年终数据：已提交第2版，评审期间不能修改；如需修改，请绩效处退回（POST …/return）',
        { 'gz-kjj': '广州市科学技术局' },
      ),
    ).toBe(
      '广州市科学技术局 2021年度当前为「已提交」，不能修改绩效目标或年终数据：已提交第2版，评审期间不能修改；如需修改，请绩效处退回',
    );
    expect(plainText('缺少文件：填好的绩效目标申报表（GET …/targets/template.xlsx 下载）')).toBe(
      '缺少文件：填好的绩效目标申报表',
    );
    expect(plainText('须先完成复核（POST …/review）才能定稿')).toBe('须先完成复核才能定稿');
  });

  it('leaves a message without routes as it is', () => {
    expect(plainText('实际采购金额合计数最多 2 位小数')).toBe('实际采购金额合计数最多 2 位小数');
  });
});
