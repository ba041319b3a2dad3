import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { RuleSetStatus } from '@jiping/persistence';

export const RULE_SET_STATUSES: RuleSetStatus[] = ['draft', 'published', 'superseded'];

/** One stored version of a rule set, without its content. */
export class RuleSetDto {
  @ApiProperty({
    example: 'guangzhou-department-overall:2021:1',
    description: 'how to name this version in URLs: <rule-set id>:<fiscal year>:<version no>',
  })
  ref!: string;

  @ApiProperty({ example: '5d0f4c1e-7a2b-4f7e-9c1d-2b3a4c5d6e7f', description: 'the stored row (uuid)' })
  rowId!: string;

  @ApiProperty({ example: 'guangzhou-department-overall', description: 'the file\'s "id"' })
  ruleSetId!: string;

  @ApiProperty({ example: 2021, description: 'the file\'s "fiscalYear"' })
  fiscalYear!: number;

  @ApiProperty({ example: 1, description: '1, 2, 3… per (rule-set id, fiscal year), in upload order' })
  versionNo!: number;

  @ApiProperty({ example: '2021.1.0', description: 'the version the file gives itself ("version")' })
  fileVersion!: string;

  @ApiProperty({ example: '广州市部门整体支出绩效自评指标体系（2021年度）' })
  title!: string;

  @ApiProperty({
    enum: RULE_SET_STATUSES,
    example: 'draft',
    description: 'draft (editable, hidden from department keys) → published (in force, immutable) → superseded',
  })
  status!: RuleSetStatus;

  @ApiProperty({
    example: '097ff09e291dce632830f25867aa92afb30970e13d3bfaac5002a99afa9ab3d3',
    description: 'sha256 of the canonical JSON of the file (independent of whitespace and key order)',
  })
  checksum!: string;

  @ApiProperty({ example: 'bootstrap admin', description: 'the name of the API key that uploaded it' })
  createdBy!: string;

  @ApiProperty({ example: '2021-01-05T08:00:00.000Z', format: 'date-time' })
  createdAt!: string;

  @ApiPropertyOptional({ example: 'bootstrap admin', nullable: true, type: String })
  publishedBy!: string | null;

  @ApiPropertyOptional({ example: '2021-01-06T08:00:00.000Z', format: 'date-time', nullable: true, type: String })
  publishedAt!: string | null;
}

/** A warning about an uploaded rule file: it never blocks (rule-file safety nets and upload checks). */
export class RuleSetWarningDto {
  @ApiProperty({
    enum: [
      'unused-input',
      'text-contradicts-method',
      'ratio-threshold',
      'unreachable-total',
      'version-reused',
      'identical-upload',
    ],
    example: 'text-contradicts-method',
  })
  kind!: string;

  @ApiProperty({
    example: '/indicators/2/children/0/children/0/explanation',
    description: 'JSON pointer into the file',
  })
  pointer!: string;

  @ApiProperty({
    example: '指标解释写的是“每项加2.5分”，但计分方法为每次加 1.5 分：请改写指标解释，或检查计分方法',
    description: 'Chinese unless the request says Accept-Language: en',
  })
  message!: string;

  @ApiPropertyOptional({ example: '加减分项 › 工作表现加减分 › 工作受表彰或批评', description: 'the Chinese path' })
  path?: string;
}

/** An uploaded or replaced version, with the warnings about its file (none blocks; an empty list when all is well). */
export class RuleSetAcceptedDto extends RuleSetDto {
  @ApiProperty({ type: [RuleSetWarningDto] })
  warnings!: RuleSetWarningDto[];
}

/** A stored version with its rule file. */
export class RuleSetWithContentDto extends RuleSetDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'the rule file (rules/schema.json), as uploaded',
    example: { formatVersion: '1', id: 'guangzhou-department-overall', version: '2021.1.0', fiscalYear: 2021 },
  })
  content!: Record<string, unknown>;
}
