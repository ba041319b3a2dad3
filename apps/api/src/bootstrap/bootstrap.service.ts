import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import {
  ApiKeyEntity,
  DepartmentEntity,
  EvaluationEntity,
  RuleSetEntity,
  SubmissionEntity,
  TargetDeclarationEntity,
  UserEntity,
} from '@jiping/persistence';
import { IsNull, Repository } from 'typeorm';
import { systemActor } from '../audit/audit.service';
import type { EnvironmentVariables } from '../../../../config/environment';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { hashApiKey } from '../auth/api-key-hash';
import { DepartmentsService } from '../departments/departments.service';
import { TargetsService } from '../departments/targets.service';
import { EvaluationsService } from '../evaluations/evaluations.service';
import { formatRuleSetRef } from '../rule-sets/rule-set-ref';
import { RuleSetsService } from '../rule-sets/rule-sets.service';
import { SubmissionsService } from '../submissions/submissions.service';
import { DepartmentYearsService } from '../years/department-years.service';
import { YearStatusService } from '../years/year-status.service';
import {
  DEMO_ADMIN_KEY,
  DEMO_APPROVAL_NOTE,
  DEMO_DEPARTMENT_KEY,
  DEMO_EVALUATOR_KEY,
  DEMO_GZ_KJJ_2021,
  DEMO_KEYS,
  DEMO_PRINCIPAL,
  DEMO_RULE_FILES,
  DEMO_RULE_SET_ID,
  type DemoKey,
} from './demo/demo';

/**
 * On an empty database (one without API keys): creates the bootstrap admin key (JIPING_BOOTSTRAP_ADMIN_KEY) and,
 * when JIPING_DEMO is true, loads the demo through the same services as the API. A database that already has keys
 * is left as it is, so a restart duplicates nothing.
 *
 * Restart-safe: the demo admin key is written first and marks the demo as begun; every later step checks whether it
 * is already done. A demo that failed half-way stops the start (the error is logged and rethrown), and the next start
 * finds the marker without the evaluation and completes the remaining steps.
 */
@Injectable()
export class BootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger('jiping');

  constructor(
    private readonly config: ConfigService<EnvironmentVariables, true>,
    private readonly apiKeys: ApiKeysService,
    private readonly ruleSets: RuleSetsService,
    private readonly departments: DepartmentsService,
    private readonly targets: TargetsService,
    private readonly submissions: SubmissionsService,
    private readonly evaluations: EvaluationsService,
    private readonly years: DepartmentYearsService,
    private readonly yearStatus: YearStatusService,
    @InjectRepository(ApiKeyEntity) private readonly keyRows: Repository<ApiKeyEntity>,
    @InjectRepository(UserEntity) private readonly userRows: Repository<UserEntity>,
    @InjectRepository(RuleSetEntity) private readonly ruleSetRows: Repository<RuleSetEntity>,
    @InjectRepository(DepartmentEntity) private readonly departmentRows: Repository<DepartmentEntity>,
    @InjectRepository(SubmissionEntity) private readonly submissionRows: Repository<SubmissionEntity>,
    @InjectRepository(EvaluationEntity) private readonly evaluationRows: Repository<EvaluationEntity>,
    @InjectRepository(TargetDeclarationEntity) private readonly declarationRows: Repository<TargetDeclarationEntity>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const demo = this.config.get('JIPING_DEMO', { infer: true }) === 'true';
    const empty = (await this.apiKeys.count()) === 0;
    const unfinishedDemo = !empty && demo && (await this.keyExists(DEMO_ADMIN_KEY.key)) && !(await this.demoScored());
    if (empty || unfinishedDemo) {
      try {
        if (demo) await this.ensureKey(DEMO_ADMIN_KEY); // first: it marks the demo as begun
        await this.ensureBootstrapAdminKey();
        if (demo) await this.loadDemo(unfinishedDemo);
      } catch (error) {
        this.logger.error(
          `the demo could not be loaded, so the service does not start: ${(error as Error).message}. ` +
            'Fix the cause and start again: the next start completes the demo.',
          (error as Error).stack,
        );
        throw error;
      }
    }
    if (await this.keyExists(DEMO_ADMIN_KEY.key)) this.logger.log(this.demoBanner());
  }

  private async ensureBootstrapAdminKey(): Promise<void> {
    const adminKey = this.config.get('JIPING_BOOTSTRAP_ADMIN_KEY', { infer: true });
    if (!adminKey || (await this.keyExists(adminKey))) return;
    await this.apiKeys.createWithUser(
      { name: 'bootstrap admin', role: 'admin' },
      { name: 'bootstrap admin', key: adminKey },
      systemActor('bootstrap'),
    );
    this.logger.log('created the admin key given in JIPING_BOOTSTRAP_ADMIN_KEY');
  }

  /** Every step is skipped when already done, so an interrupted demo is completed by the next start. */
  private async loadDemo(resuming: boolean): Promise<void> {
    if (resuming) this.logger.warn('the demo was interrupted by an earlier start: completing it');
    const { department, fiscalYear, targets, submission } = DEMO_GZ_KJJ_2021;
    const where = { departmentCode: department.code, fiscalYear };
    await this.ensureKey(DEMO_EVALUATOR_KEY);
    for (const file of DEMO_RULE_FILES) await this.ensurePublished(file);
    if (!(await this.departmentRows.existsBy({ code: department.code }))) {
      await this.departments.create(department, DEMO_PRINCIPAL);
    }
    await this.ensureKey(DEMO_DEPARTMENT_KEY); // a department key needs its department
    if (!(await this.declarationRows.existsBy(where))) {
      await this.targets.declare(department.code, fiscalYear, { ruleSetId: DEMO_RULE_SET_ID, targets }, DEMO_PRINCIPAL);
    }
    // The year as the bureau runs it: targets approved (批复), year-end data kept and submitted (提交), scored.
    if ((await this.yearStatus.find(department.code, fiscalYear))?.approvedTargetRevision == null) {
      await this.targets.approve(department.code, fiscalYear, 1, DEMO_APPROVAL_NOTE, DEMO_PRINCIPAL);
    }
    if (!(await this.submissionRows.existsBy(where))) {
      await this.submissions.create(department.code, fiscalYear, submission, DEMO_PRINCIPAL);
    }
    if ((await this.yearStatus.find(department.code, fiscalYear))?.status === 'in-progress') {
      await this.years.submit(department.code, fiscalYear, undefined, DEMO_PRINCIPAL, 'zh');
    }
    if (!(await this.evaluationRows.existsBy(where))) {
      const evaluation = await this.evaluations.score(department.code, fiscalYear, {}, DEMO_PRINCIPAL);
      this.logger.log(
        `loaded the demo: ${department.name} (${department.code}) ${fiscalYear} scored ${evaluation.total} ${evaluation.grade}`,
      );
    }
  }

  /** Uploads and publishes a shipped rule file, unless a version of its (id, year) is already published. */
  private async ensurePublished(file: { id: string; fiscalYear: number; content: unknown }): Promise<void> {
    const rows = await this.ruleSetRows.find({
      where: { ruleSetId: file.id, fiscalYear: file.fiscalYear },
      order: { versionNo: 'DESC' },
    });
    if (rows.some((row) => row.status !== 'draft')) return;
    // A draft left by an interrupted start is published rather than uploaded again.
    const ref =
      rows.length > 0 ? formatRuleSetRef(rows[0]) : (await this.ruleSets.upload(file.content, DEMO_PRINCIPAL)).row.ref;
    await this.ruleSets.publish(ref, DEMO_PRINCIPAL);
  }

  private async ensureKey(demoKey: DemoKey): Promise<void> {
    if (await this.keyExists(demoKey.key)) return;
    const { key, name, role, departmentCode, user } = demoKey;
    const actor = systemActor('bootstrap');
    // The person may be there already, their key lost (an interrupted demo): give them the key again.
    const person = await this.userRows.findOneBy({ name: user.name, role, departmentCode: departmentCode ?? IsNull() });
    if (person) await this.apiKeys.createForUser(person.id, { name, key }, actor);
    else await this.apiKeys.createWithUser({ ...user, role, departmentCode }, { name, key }, actor);
  }

  private keyExists(key: string): Promise<boolean> {
    return this.keyRows.existsBy({ keyHash: hashApiKey(key) });
  }

  private demoScored(): Promise<boolean> {
    const { department, fiscalYear } = DEMO_GZ_KJJ_2021;
    return this.evaluationRows.existsBy({ departmentCode: department.code, fiscalYear });
  }

  private demoBanner(): string {
    const url = `http://localhost:${this.config.get('PORT', { infer: true })}`;
    const { department, fiscalYear } = DEMO_GZ_KJJ_2021;
    const width = Math.max(...DEMO_KEYS.map((k) => k.key.length));
    const keys = DEMO_KEYS.map(
      (k) =>
        `    ${k.key.padEnd(width)}  ${k.user.name}, ${k.role}${k.departmentCode ? ` (${k.departmentCode} only)` : ''}`,
    );
    return [
      `demo data loaded (JIPING_DEMO=true): ${department.name} (${department.code}), fiscal year ${fiscalYear}`,
      `  URL       ${url}`,
      `  API docs  ${url}/docs`,
      '  demo keys (public: never use a demo database for real data)',
      ...keys,
      '  try',
      `    curl -H 'Authorization: Bearer ${DEMO_ADMIN_KEY.key}' ${url}/departments/${department.code}/years/${fiscalYear}/evaluations/latest`,
    ].join('\n');
  }
}
