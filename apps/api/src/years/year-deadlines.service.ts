import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { YearDeadlinesEntity } from '@jiping/persistence';
import { localized } from '@jiping/rules';
import { Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { ApiError, ApiErrorCode } from '../common/api-error';
import type { SetYearDeadlinesDto, YearDeadlinesDto } from './dto/year-deadlines.dto';

/** The bureau's optional deadlines of a fiscal year: late acts are flagged, and blocked only when it says so. */
@Injectable()
export class YearDeadlinesService {
  constructor(
    @InjectRepository(YearDeadlinesEntity) private readonly rows: Repository<YearDeadlinesEntity>,
    private readonly audit: AuditService,
  ) {}

  async get(fiscalYear: number): Promise<YearDeadlinesDto> {
    return toDto(fiscalYear, await this.rows.findOneBy({ fiscalYear }));
  }

  /** Replaces the year's deadlines (an omitted one is none); audited. */
  async set(fiscalYear: number, dto: SetYearDeadlinesDto, principal: Principal): Promise<YearDeadlinesDto> {
    const targetsDue = dto.targetsDue ? new Date(dto.targetsDue) : null;
    const submissionDue = dto.submissionDue ? new Date(dto.submissionDue) : null;
    for (const [pointer, date] of [
      ['/targetsDue', targetsDue],
      ['/submissionDue', submissionDue],
    ] as const) {
      if (date && Number.isNaN(date.getTime())) {
        throw new ApiError(
          ApiErrorCode.VALIDATION_FAILED,
          localized('截止时间不是有效的日期时间', 'a deadline is not a valid date-time'),
          [{ pointer, message: localized('不是有效的日期时间', 'not a valid date-time') }],
        );
      }
    }
    const row = this.rows.create({
      fiscalYear,
      targetsDue,
      submissionDue,
      blockLateSubmissions: dto.blockLateSubmissions ?? false,
      updatedAt: new Date(),
      updatedBy: principal.name,
    });
    await this.rows.manager.transaction(async (manager) => {
      await manager.getRepository(YearDeadlinesEntity).save(row);
      await this.audit.record(
        principal,
        {
          action: 'year.deadlines-set',
          entityType: 'year',
          entityId: String(fiscalYear),
          fiscalYear,
          details: {
            targetsDue: targetsDue?.toISOString() ?? null,
            submissionDue: submissionDue?.toISOString() ?? null,
            blockLateSubmissions: row.blockLateSubmissions,
          },
        },
        manager,
      );
    });
    return this.get(fiscalYear);
  }
}

function toDto(fiscalYear: number, row: YearDeadlinesEntity | null): YearDeadlinesDto {
  const iso = (date: Date | null | undefined) => (date ? new Date(date).toISOString() : null);
  return {
    fiscalYear,
    targetsDue: iso(row?.targetsDue),
    submissionDue: iso(row?.submissionDue),
    blockLateSubmissions: row?.blockLateSubmissions ?? false,
    updatedAt: iso(row?.updatedAt),
    updatedBy: row?.updatedBy ?? null,
  };
}
