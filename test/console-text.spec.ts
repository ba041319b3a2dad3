import { plainText } from '../apps/web/src/shared/plainText';
import { auditObjectLabel, type AuditNames } from '../apps/web/src/features/admin/auditObject';

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

describe('auditObjectLabel: 审计日志 names the object as an admin knows it', () => {
  const names: AuditNames = {
    department: (code) => ({ 'gz-kjj': '广州市科学技术局' })[code],
    user: (id) => ({ 'u-1': '王立新' })[id],
    ruleSet: (ref) =>
      ref === 'guangzhou-department-overall:2021:1'
        ? { title: '广州市部门整体支出绩效自评指标体系（2021年度）', versionNo: 1 }
        : undefined,
  };
  const entry = (entityType: string, entityId: string, details: Record<string, unknown> = {}, fiscalYear = 2021) => ({
    entityType,
    entityId,
    departmentCode: 'gz-kjj',
    fiscalYear,
    details,
  });

  it('names departments, people, keys, rule sets, revisions and evaluations', () => {
    expect(
      [
        entry('department', 'gz-kjj'),
        entry('department', 'gz-old', { name: '已撤销的局' }),
        entry('user', 'u-1'),
        entry('api-key', 'k-1', { name: '演示评价人员密钥', userName: '王立新' }),
        entry('rule-set', 'guangzhou-department-overall:2021:1'),
        entry('rule-set', 'guangzhou-department-overall:2022:3'),
        entry('targets', 'gz-kjj:2021:2'),
        entry('submission', 'gz-kjj:2021:3'),
        entry('evaluation', '5f0c2a8e-8d7b-4c1e-9a53-0d2f9b6e4c11', { total: '94.622' }),
        entry('department-year', 'gz-kjj:2021'),
        entry('year', '2021'),
        entry('job', 'j-1', { kind: 'impact' }),
        entry('something-new', 'x:1'),
      ].map((e) => auditObjectLabel(e, names)),
    ).toEqual([
      '广州市科学技术局',
      '已撤销的局',
      '王立新',
      '密钥「演示评价人员密钥」（王立新）',
      '广州市部门整体支出绩效自评指标体系（2021年度）（第1版）',
      '2022年度指标体系（第3版）',
      '2021年度绩效目标（第2版）',
      '2021年度年终数据（第3版）',
      '2021年度评分结果（总分 94.622）',
      '2021年度绩效自评',
      '2021年度时间要求',
      '影响分析任务',
      'x:1',
    ]);
  });
});
