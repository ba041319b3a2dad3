import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, Matches, ValidateIf } from 'class-validator';

/** A date and time with Z or an offset (北京时间 +08:00): what `new Date` reads the same on every server. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE_TIME_MESSAGE = '应为带时区的日期时间，如 2022-03-31T23:59:59+08:00（an ISO date-time with Z or an offset）';

/** PUT /years/{year}/deadlines: the whole setting (an omitted deadline is none). */
export class SetYearDeadlinesDto {
  @ApiPropertyOptional({
    example: '2021-03-31T23:59:59+08:00',
    nullable: true,
    type: String,
    description: '绩效目标申报截止时间 (flagged when late); null or omitted: none',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(ISO_DATE_TIME, { message: DATE_TIME_MESSAGE })
  targetsDue?: string | null;

  @ApiPropertyOptional({
    example: '2022-03-31T23:59:59+08:00',
    nullable: true,
    type: String,
    description:
      '年终数据提交截止时间: a later first submission is flagged late (and refused with blockLateSubmissions)',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(ISO_DATE_TIME, { message: DATE_TIME_MESSAGE })
  submissionDue?: string | null;

  @ApiPropertyOptional({
    example: false,
    description: 'refuse (409) a first submission after submissionDue; a re-submission after a 退回 is never refused',
  })
  @IsOptional()
  @IsBoolean()
  blockLateSubmissions?: boolean;
}

export class YearDeadlinesDto {
  @ApiProperty({ example: 2021 }) fiscalYear!: number;
  @ApiProperty({ example: '2021-03-31T15:59:59.000Z', nullable: true, type: String }) targetsDue!: string | null;
  @ApiProperty({ example: '2022-03-31T15:59:59.000Z', nullable: true, type: String }) submissionDue!: string | null;
  @ApiProperty({ example: false }) blockLateSubmissions!: boolean;
  @ApiProperty({ example: '2021-01-05T02:00:00.000Z', nullable: true, type: String }) updatedAt!: string | null;
  @ApiProperty({ example: 'demo admin', nullable: true, type: String }) updatedBy!: string | null;
}
