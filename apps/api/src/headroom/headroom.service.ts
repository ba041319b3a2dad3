import { localized } from '@jiping/rules';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type DepartmentEntity, EvaluationEntity } from '@jiping/persistence';
import { type Adjustment, applyAdjustments, computeHeadroom, type Headroom } from '@jiping/scoring';
import { Repository } from 'typeorm';
import type { Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { DepartmentsService } from '../departments/departments.service';
import { RuleSetLoader } from '../rule-sets/rule-set-loader';
import { SubmissionsService } from '../submissions/submissions.service';
import type { HeadroomDto } from './dto/headroom.dto';

/** How many evaluations' headroom is kept in memory (an evaluation never changes, so neither does its headroom). */
const CACHE_LIMIT = 64;

/**
 * Headroom (提分空间) of an evaluation: its submission revision, under the target revision and the rule-set version it
 * is pinned to, handed to the engine's computeHeadroom. Reads only; nothing is stored. Evaluations are append-only and
 * pinned, so the result of one is kept in memory (by evaluation id) for the next caller who may see it.
 */
@Injectable()
export class HeadroomService {
  private readonly cache = new Map<string, Promise<Headroom>>();

  constructor(
    @InjectRepository(EvaluationEntity) private readonly evaluations: Repository<EvaluationEntity>,
    private readonly loader: RuleSetLoader,
    private readonly departments: DepartmentsService,
    private readonly submissions: SubmissionsService,
  ) {}

  /** Load → compute → map. A department key sees only its own department's evaluations (else 404). */
  async headroom(departmentCode: string, fiscalYear: number, id: string, principal: Principal): Promise<HeadroomDto> {
    const department = await this.departments.findVisible(departmentCode, principal);
    const evaluation = await this.evaluations.findOneBy({ id, departmentCode, fiscalYear });
    if (!evaluation)
      throw ApiError.notFound(
        localized(
          `部门 ${departmentCode} ${fiscalYear}年度的评分记录“${id}”`,
          `evaluation "${id}" of "${departmentCode}" for ${fiscalYear}`,
        ),
      );
    const headroom = await this.cached(evaluation.id, () => this.compute(department, evaluation));
    return { evaluationId: evaluation.id, ...headroom };
  }

  private async compute(department: DepartmentEntity, evaluation: EvaluationEntity): Promise<Headroom> {
    const { departmentCode, fiscalYear } = evaluation;
    const submission = await this.submissions.findRevision(departmentCode, fiscalYear, evaluation.submissionRevision);
    const ruleSet = await this.loader.findPinned(evaluation);
    const scored = await this.submissions.engineSubmission(department, submission);
    const compiled = this.loader.compiled(ruleSet);
    // An adjusted evaluation (复核) scored its submission with the evaluator's adjustments applied, exactly as the
    // adjustments applied them: so does its headroom.
    const adjustments = evaluation.adjustments ? (JSON.parse(evaluation.adjustments) as Adjustment[]) : [];
    const adjusted = adjustments.length > 0 ? applyAdjustments(compiled, scored, adjustments) : scored;
    return computeHeadroom(compiled, adjusted);
  }

  /** The computation of an evaluation's headroom, shared by concurrent callers and kept for later ones. */
  private cached(id: string, compute: () => Promise<Headroom>): Promise<Headroom> {
    let headroom = this.cache.get(id);
    if (headroom) {
      this.cache.delete(id); // most recently used last
    } else {
      headroom = compute();
      headroom.catch(() => this.cache.delete(id));
      if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(id, headroom);
    return headroom;
  }
}
