import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { RuleSetEntity } from '@jiping/persistence';
import { parseRuleFileText, type RuleSet, toRuleSet } from '@jiping/rules';
import { compileRuleSet, type CompiledRuleSet } from '@jiping/scoring';
import { Repository } from 'typeorm';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { parseRuleSetRef } from './rule-set-ref';

/**
 * Finds stored rule-set versions and turns them into validated, compiled rule sets (cached by checksum: a stored
 * version never changes once published, and a draft's checksum changes with its content).
 */
@Injectable()
export class RuleSetLoader {
  private readonly ruleSets = new Map<string, RuleSet>();

  constructor(@InjectRepository(RuleSetEntity) private readonly rows: Repository<RuleSetEntity>) {}

  /** A version by reference (`id:year:n` or `id:year:published`); drafts only when `includeDrafts`. */
  async findByRef(ref: string, options: { includeDrafts: boolean; pointer?: string }): Promise<RuleSetEntity> {
    const { ruleSetId, fiscalYear, versionNo } = parseRuleSetRef(ref, options.pointer);
    const row =
      versionNo === 'published'
        ? await this.rows.findOneBy({ ruleSetId, fiscalYear, status: 'published' })
        : await this.rows.findOneBy({ ruleSetId, fiscalYear, versionNo });
    if (!row || (row.status === 'draft' && !options.includeDrafts)) throw ApiError.notFound(`rule set "${ref}"`);
    return row;
  }

  /** The published rule set in force for a fiscal year (one per rule-set id; name the id when there are several). */
  async findPublishedForYear(fiscalYear: number, ruleSetId?: string): Promise<RuleSetEntity> {
    const rows = await this.rows.findBy({ fiscalYear, status: 'published', ...(ruleSetId ? { ruleSetId } : {}) });
    if (rows.length === 0) {
      throw new ApiError(
        ApiErrorCode.PRECONDITION_MISSING,
        `no published rule set for ${fiscalYear}${ruleSetId ? ` with id "${ruleSetId}"` : ''}: an admin must publish one first`,
      );
    }
    if (rows.length > 1) {
      throw new ApiError(
        ApiErrorCode.RULE_SET_AMBIGUOUS,
        `several rule sets are published for ${fiscalYear}; name one`,
        [{ pointer: '/ruleSetId', message: `one of ${rows.map((r) => r.ruleSetId).join(', ')}` }],
      );
    }
    return rows[0];
  }

  /** The stored version an evaluation was scored with; a missing row or a changed checksum is an internal error. */
  async findPinned(evaluation: { id: string; ruleSetRowId: string; ruleSetChecksum: string }): Promise<RuleSetEntity> {
    const row = await this.rows.findOneBy({ id: evaluation.ruleSetRowId });
    if (!row || row.checksum !== evaluation.ruleSetChecksum) {
      throw new ApiError(
        ApiErrorCode.INTERNAL,
        `evaluation ${evaluation.id} was scored with rule-set row ${evaluation.ruleSetRowId} ` +
          `(checksum ${evaluation.ruleSetChecksum}), which is missing or changed`,
      );
    }
    return row;
  }

  /** The validated RuleSet of a stored version. */
  toRuleSet(row: RuleSetEntity): RuleSet {
    const cached = this.ruleSets.get(row.checksum);
    if (cached) return cached;
    const ruleSet = toRuleSet(parseRuleFileText(row.content));
    if (ruleSet.checksum !== row.checksum) {
      throw new ApiError(ApiErrorCode.INTERNAL, `stored rule set ${row.id} does not match its checksum`);
    }
    this.ruleSets.set(row.checksum, ruleSet);
    return ruleSet;
  }

  /** The compiled rule set, ready to score (compileRuleSet caches it by checksum). */
  compiled(row: RuleSetEntity): CompiledRuleSet {
    return compileRuleSet(this.toRuleSet(row));
  }
}
