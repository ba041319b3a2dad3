import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { RuleSetChangeDto, RuleSetIdentityDto } from './rule-set-diff.dto';
import { RuleSetWithContentDto } from './rule-set.dto';

const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

/** POST /rule-sets/{ref}/drafts: what the new draft changes of the version it copies. */
export class CreateDraftDto {
  @ApiPropertyOptional({
    example: 2022,
    description:
      "the draft's fiscal year (default: the base's). Another year also moves the year in the title and effective " +
      'date and in the embedded tests, and records the base in `continues` so what-if and impact can score the ' +
      "base year's data under the draft",
  })
  @IsOptional()
  @IsInt({ message: 'fiscalYear 应为整数年度，如 2022' })
  @Min(2000)
  @Max(2100)
  fiscalYear?: number;

  @ApiPropertyOptional({
    example: '2022.1.0',
    description:
      "the draft's version (default: 2021.1.0 → 2021.2.0 in the same year, → 2022.1.0 in the next; skips versions " +
      'already stored)',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  version?: string;

  @ApiPropertyOptional({ example: '广州市部门整体支出绩效自评指标体系（2022年度）' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional({ example: '2022-01-01' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'effectiveFrom 应为日期，格式 YYYY-MM-DD' })
  effectiveFrom?: string;
}

export class ValidateRuleFileQueryDto {
  @ApiPropertyOptional({
    example: 'guangzhou-department-overall:2021:published',
    description: 'a stored version to diff the file against (the base of a draft being edited)',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  against?: string;

  @ApiPropertyOptional({
    example: 'guangzhou-department-overall:2022:1',
    description:
      'the stored draft this content will replace (PUT): its own row is left out of the version-reused and ' +
      'identical-upload warnings',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  replaces?: string;

  @ApiPropertyOptional({
    example: true,
    default: false,
    description:
      "true: set the embedded tests' expected results to what the file's rules compute, list each change in " +
      '`testUpdates` and return the updated file in `file` (for rules changed on purpose)',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'updateTests 应为 true 或 false' })
  updateTests?: boolean;
}

export class WorkbookImportQueryDto {
  @ApiPropertyOptional({
    example: true,
    default: false,
    description: 'true: answer what the import would give (draft, diff, problems) and store nothing',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'dryRun 应为 true 或 false' })
  dryRun?: boolean;

  @ApiPropertyOptional({
    example: true,
    default: false,
    description: "true: set the embedded tests' expected results to what the draft's rules compute (each listed)",
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'updateTests 应为 true 或 false' })
  updateTests?: boolean;
}

/** A problem (or warning) of a rule file or of an imported workbook, in the caller's language. */
export class RuleFileProblemDto {
  @ApiPropertyOptional({
    example: 'unused-input',
    description:
      'warnings only: unused-input, text-contradicts-method, ratio-threshold, unreachable-total, version-reused, identical-upload',
  })
  kind?: string;

  @ApiProperty({ example: '/indicators/0/children/1/weight', description: 'JSON pointer into the rule file' })
  pointer!: string;

  @ApiProperty({ example: '应为不超过两位小数的分值（填了“两分”）', description: 'Chinese unless Accept-Language: en' })
  message!: string;

  @ApiPropertyOptional({
    example: '管理效能 › 采购管理',
    description: "the indicator's Chinese path, 填报项「…」, 等次「…」, 内嵌测试「…」",
  })
  path?: string;

  @ApiPropertyOptional({ example: '指标体系!F12', description: 'the workbook cell (workbook imports only)' })
  cell?: string;
}

/** An expected value of an embedded test set to what the new rules compute. */
export class TestExpectationUpdateDto {
  @ApiProperty({ example: '2021年自评数据（履职效能简化为一个目标）' }) test!: string;
  @ApiProperty({ example: '/tests/0/expected/total' }) pointer!: string;
  @ApiProperty({ example: '94.622' }) before!: string;
  @ApiProperty({ example: '94.122' }) after!: string;
  @ApiProperty({ example: '内嵌测试“2021年自评数据（履职效能简化为一个目标）”：预期总分 94.622 改为 94.122' })
  message!: string;
}

/** The semantic difference from a base version to a rule file that is not stored (yet). */
export class RuleFileDiffDto {
  @ApiProperty({ example: 'guangzhou-department-overall:2021:1', description: 'the base compared with' })
  fromRef!: string;
  @ApiProperty({ type: RuleSetIdentityDto }) from!: RuleSetIdentityDto;
  @ApiProperty({ type: RuleSetIdentityDto }) to!: RuleSetIdentityDto;
  @ApiProperty({ type: [RuleSetChangeDto] }) changes!: RuleSetChangeDto[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { 'band-changed': 1 } })
  summary!: Record<string, number>;
}

/** POST /rule-sets/validate: every check of an upload, nothing stored. */
export class RuleFileCheckDto {
  @ApiProperty({ example: true, description: 'true when an upload of this file would be accepted' })
  valid!: boolean;

  @ApiPropertyOptional({ example: '5ec89956948c7de16960a70ec06e7c79f92bd0340d67856943eee51f011f0fa9' })
  checksum?: string;

  @ApiProperty({ type: [RuleFileProblemDto], description: 'every problem; empty when valid' })
  problems!: RuleFileProblemDto[];

  @ApiProperty({
    type: [RuleFileProblemDto],
    description: 'what is worth a look but never blocks (rule-file safety nets, where the service has them)',
  })
  warnings!: RuleFileProblemDto[];

  @ApiProperty({ type: [TestExpectationUpdateDto], description: 'with updateTests=true' })
  testUpdates!: TestExpectationUpdateDto[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'with updateTests=true and updates made: the file with the updated expectations, to save',
  })
  file?: Record<string, unknown>;

  @ApiPropertyOptional({ type: RuleFileDiffDto, description: 'with against=<ref>: what changed from that version' })
  diff?: RuleFileDiffDto;
}

/** POST /rule-sets/{ref}/workbook-import?dryRun=true: what importing the workbook would store. */
export class WorkbookPreviewDto {
  @ApiProperty({ example: 'guangzhou-department-overall:2021:1', description: 'the base version' })
  baseRef!: string;

  @ApiProperty({ example: true, description: 'true when the draft can be saved (the same call without dryRun)' })
  valid!: boolean;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'the draft rule file (absent when the workbook as a whole cannot be read)',
  })
  draft?: Record<string, unknown>;

  @ApiPropertyOptional({ example: 'e4d24660cfa6…' }) checksum?: string;

  @ApiPropertyOptional({ type: RuleFileDiffDto, description: 'what changed from the base' })
  diff?: RuleFileDiffDto;

  @ApiProperty({
    type: [RuleFileProblemDto],
    description: 'unreadable cells (with cell) first, then the problems the rule-file checks found',
  })
  problems!: RuleFileProblemDto[];

  @ApiProperty({ type: [RuleFileProblemDto], description: 'worth a look, never blocking (with cell)' })
  notes!: RuleFileProblemDto[];

  @ApiProperty({ type: [RuleFileProblemDto], description: 'rule-file safety nets, never blocking (with cell)' })
  warnings!: RuleFileProblemDto[];

  @ApiProperty({ type: [TestExpectationUpdateDto] }) testUpdates!: TestExpectationUpdateDto[];
}

/** POST /rule-sets/{ref}/workbook-import: the draft stored. */
export class WorkbookImportedDto {
  @ApiProperty({ example: 'guangzhou-department-overall:2021:1' }) baseRef!: string;
  @ApiProperty({ type: RuleSetWithContentDto, description: 'the new draft version' }) ruleSet!: RuleSetWithContentDto;
  @ApiProperty({ type: RuleFileDiffDto }) diff!: RuleFileDiffDto;
  @ApiProperty({ type: [RuleFileProblemDto] }) notes!: RuleFileProblemDto[];
  @ApiProperty({ type: [RuleFileProblemDto], description: 'never blocking' }) warnings!: RuleFileProblemDto[];
  @ApiProperty({ type: [TestExpectationUpdateDto] }) testUpdates!: TestExpectationUpdateDto[];
}

/** POST /rule-sets/{ref}/drafts: the new draft, with its rule file and the warnings about it. */
export class DraftCreatedDto extends RuleSetWithContentDto {
  @ApiProperty({ type: [RuleFileProblemDto], description: 'never blocking' }) warnings!: RuleFileProblemDto[];
}
