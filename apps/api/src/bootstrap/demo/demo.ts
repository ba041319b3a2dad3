import type { Role } from '@jiping/persistence';
import type { Submission } from '@jiping/rules';
import type { Principal } from '../../auth/principal';
import type { SubmissionBody } from '../../submissions/engine-submission';
// JSON modules: webpack bundles them, so the built service needs no files at run time.
import guangzhouDepartmentOverall2021 from '../../../../../rules/guangzhou/department-overall/2021.json';
import nationalProjectSelfEvaluation2020 from '../../../../../rules/national/project-self-evaluation/2020.json';
import gzKjj2021 from './gz-kjj-2021.json';

/**
 * The demo (JIPING_DEMO=true, the default): the shipped rule files, 广州市科学技术局 (gz-kjj) with its 2021 targets
 * (approved), year-end data (submitted) and its official evaluation (total 94.622, 优): the year is 已评分, ready for
 * 复核 and 定稿. The keys are fixed and public: a demo database is
 * for trying the API, never for real data.
 */
export interface DemoKey {
  key: string;
  /** The key's name. */
  name: string;
  role: Role;
  departmentCode?: string;
  /** The demo person who holds the key (the audit log names them). */
  user: { name: string; contact: string };
}

/*
 * The people are fictitious; the migration UsersAndNamedKeys gives an older demo database's keys the same names.
 */
export const DEMO_ADMIN_KEY: DemoKey = {
  key: 'demo-admin-key',
  name: '演示管理员密钥',
  role: 'admin',
  user: { name: '陈静', contact: '广州市财政局信息中心 020-83120001' },
};
export const DEMO_EVALUATOR_KEY: DemoKey = {
  key: 'demo-evaluator-key',
  name: '演示评价人员密钥',
  role: 'evaluator',
  user: { name: '王立新', contact: '广州市财政局预算绩效管理处 020-83120002' },
};
export const DEMO_DEPARTMENT_KEY: DemoKey = {
  key: 'demo-gz-kjj-key',
  name: '演示填报员密钥（广州市科学技术局）',
  role: 'department',
  departmentCode: 'gz-kjj',
  user: { name: '刘洋', contact: '广州市科学技术局财务处 020-83120003' },
};
export const DEMO_KEYS = [DEMO_ADMIN_KEY, DEMO_EVALUATOR_KEY, DEMO_DEPARTMENT_KEY];

/** Who the demo acts as: it goes through the same services (and validation) as any admin. */
export const DEMO_PRINCIPAL: Principal = {
  userId: 'system',
  name: '演示数据',
  role: 'admin',
  departmentCode: null,
  via: 'system',
  keyId: 'bootstrap',
};

/** The rule files uploaded and published, in this order. */
export const DEMO_RULE_FILES: ReadonlyArray<{ id: string; fiscalYear: number; content: unknown }> = [
  guangzhouDepartmentOverall2021,
  nationalProjectSelfEvaluation2020,
].map((file) => ({ id: file.id, fiscalYear: file.fiscalYear, content: file }));

export interface DemoDepartmentYear {
  department: { code: string; name: string; region: string };
  fiscalYear: number;
  /** The declared targets (绩效目标申报), the engine Submission's `targets`. */
  targets: NonNullable<Submission['targets']>;
  /** The year-end data. */
  submission: SubmissionBody;
}

export const DEMO_GZ_KJJ_2021 = gzKjj2021 as unknown as DemoDepartmentYear;
/** The note of the demo's target approval (批复). */
export const DEMO_APPROVAL_NOTE = '随2021年部门预算一并批复';

/** The rule set the demo department declares and submits under. */
export const DEMO_RULE_SET_ID = guangzhouDepartmentOverall2021.id;
