import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ImpactRowDto } from '../../impact/dto/impact-lines.dto';

export const IMPACT_ROW_SORTS = ['delta', '-delta', 'code'] as const;
export type ImpactRowSort = (typeof IMPACT_ROW_SORTS)[number];
export const IMPACT_ROW_MOVES = ['up', 'down', 'changed', 'unchanged'] as const;
export type ImpactRowMove = (typeof IMPACT_ROW_MOVES)[number];
export const IMPACT_ROWS_DEFAULT_LIMIT = 20;
export const IMPACT_ROWS_MAX_LIMIT = 500;

/** GET /jobs/{id}/result/departments: which departments of an impact's or a re-scoring's result, in which order, which page. */
export class ImpactRowsQueryDto {
  @ApiPropertyOptional({
    enum: IMPACT_ROW_SORTS,
    default: 'code',
    description:
      'delta: the biggest fall first; -delta: the biggest rise first; code: by department code. Ties by code.',
  })
  @IsOptional()
  @IsIn(IMPACT_ROW_SORTS)
  sort?: ImpactRowSort;

  @ApiPropertyOptional({
    enum: IMPACT_ROW_MOVES,
    description: 'only departments whose total rose (up), fell (down), changed, or did not change',
  })
  @IsOptional()
  @IsIn(IMPACT_ROW_MOVES)
  move?: ImpactRowMove;

  @ApiPropertyOptional({ example: '优', description: 'only departments with this grade before (a transition row)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  before?: string;

  @ApiPropertyOptional({ example: '良', description: 'only departments with this grade after (a transition column)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  after?: string;

  @ApiPropertyOptional({
    enum: ['rescored', 'skipped'],
    description: 'a re-scoring: only the departments re-scored, or only those skipped (with the reason)',
  })
  @IsOptional()
  @IsIn(['rescored', 'skipped'])
  outcome?: 'rescored' | 'skipped';

  @ApiPropertyOptional({ example: 0, default: 0, description: 'the first item of the page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;

  @ApiPropertyOptional({
    example: IMPACT_ROWS_DEFAULT_LIMIT,
    default: IMPACT_ROWS_DEFAULT_LIMIT,
    maximum: IMPACT_ROWS_MAX_LIMIT,
    description: `items per page, 1 to ${IMPACT_ROWS_MAX_LIMIT}`,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(IMPACT_ROWS_MAX_LIMIT)
  limit?: number;
}

/** A page of an impact job's per-department rows. */
export class ImpactRowPageDto {
  @ApiProperty({
    type: [ImpactRowDto],
    description: 'the page: `limit` departments from `offset`, each as a row line of the streaming impact',
  })
  items!: ImpactRowDto[];
  @ApiProperty({ example: 10000, description: 'departments matching the filters' }) total!: number;
  @ApiProperty({ example: 0 }) offset!: number;
  @ApiProperty({ example: IMPACT_ROWS_DEFAULT_LIMIT }) limit!: number;
  @ApiProperty({
    example: 20,
    nullable: true,
    description: 'the offset of the next page (pass it as ?offset=); null on the last page',
  })
  next!: number | null;
}
