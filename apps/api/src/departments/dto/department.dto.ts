import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { KEBAB_CODE } from './path-params';

export class CreateDepartmentDto {
  @ApiProperty({ example: 'gz-kjj', description: 'kebab-case, at most 64 characters; never changes', maxLength: 64 })
  @IsString()
  @MaxLength(64)
  @Matches(KEBAB_CODE, { message: 'code must be a kebab-case department code, e.g. gz-kjj' })
  code!: string;

  @ApiProperty({ example: '广州市科学技术局', description: '部门/单位名称 as printed in the evaluation' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: '广州市', description: 'the region (地区) whose bureau funds the department' })
  @IsString()
  @Length(1, 100)
  region!: string;

  @ApiPropertyOptional({
    example: 'gz-kjj',
    nullable: true,
    description: 'the parent department’s code (上级部门), an existing department that is not retired',
  })
  @IsOptional()
  @MaxLength(64)
  @Matches(KEBAB_CODE, { message: 'parentCode must be a kebab-case department code, e.g. gz-kjj' })
  parentCode?: string | null;
}

/** PATCH /departments/:code: rename, move to another region or parent. Omitted fields stay as they are. */
export class UpdateDepartmentDto {
  @ApiPropertyOptional({ example: '广州市科学技术局', description: 'the new name (更名)' })
  @ValidateIf((_dto, value) => value !== undefined) // absent: unchanged; null is refused (a name cannot be emptied)
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ example: '广州市' })
  @ValidateIf((_dto, value) => value !== undefined)
  @IsString()
  @Length(1, 100)
  region?: string;

  @ApiPropertyOptional({
    example: 'gz-kjj',
    nullable: true,
    type: String,
    description: 'the parent department’s code; null to make it a top-level department',
  })
  @ValidateIf((dto: UpdateDepartmentDto) => dto.parentCode !== null && dto.parentCode !== undefined)
  @MaxLength(64)
  @Matches(KEBAB_CODE, { message: 'parentCode must be a kebab-case department code, e.g. gz-kjj' })
  parentCode?: string | null;
}

/** POST /departments/:code/retire and …/reinstate. */
export class DepartmentStatusChangeDto {
  @ApiProperty({ example: '机构改革，职能并入广州市工业和信息化局', description: 'why (kept in the audit log)' })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export const DEPARTMENT_STATUSES = ['active', 'retired'] as const;
export type DepartmentStatus = (typeof DEPARTMENT_STATUSES)[number];

export class ListDepartmentsQueryDto {
  @ApiPropertyOptional({ example: '广州市', description: 'only the departments of this region (地区)' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  region?: string;

  @ApiPropertyOptional({
    enum: DEPARTMENT_STATUSES,
    description: 'active (在用) or retired (已撤销); both when omitted (retired ones are marked)',
  })
  @IsOptional()
  @IsIn(DEPARTMENT_STATUSES)
  status?: DepartmentStatus;

  @ApiPropertyOptional({ example: 'gz-kjj', description: 'only the departments directly under this one' })
  @IsOptional()
  @Matches(KEBAB_CODE, { message: 'parentCode must be a kebab-case department code, e.g. gz-kjj' })
  parentCode?: string;
}

export class ImportDepartmentsQueryDto {
  @ApiPropertyOptional({
    example: false,
    description: 'check the file and say what the import would do, storing nothing',
    default: false,
  })
  @IsOptional()
  @Transform(({ value }) =>
    value === 'true' || value === true ? true : value === 'false' || value === false ? false : value,
  )
  @IsBoolean()
  dryRun?: boolean;
}

export class DepartmentDto {
  @ApiProperty({ example: 'gz-kjj' }) code!: string;
  @ApiProperty({ example: '广州市科学技术局' }) name!: string;
  @ApiProperty({ example: '广州市' }) region!: string;
  @ApiProperty({ example: null, nullable: true, type: String, description: 'the parent department’s code' })
  parentCode!: string | null;
  @ApiProperty({
    enum: DEPARTMENT_STATUSES,
    example: 'active',
    description: 'retired: kept for history, takes no new data',
  })
  status!: DepartmentStatus;
  @ApiProperty({ example: '在用', enum: ['在用', '已撤销'] }) statusLabel!: string;
  @ApiProperty({ example: '2021-02-25T08:00:00.000Z', description: 'ISO 8601' }) createdAt!: string;
  @ApiProperty({ example: null, nullable: true, type: String, description: 'last renamed, moved or retired' })
  updatedAt!: string | null;
  @ApiProperty({ example: null, nullable: true, type: String, description: 'when it was retired (撤销)' })
  retiredAt!: string | null;
  @ApiProperty({ example: null, nullable: true, type: String, description: 'why it was retired' })
  retiredReason!: string | null;
}

export class DepartmentImportRowResultDto {
  @ApiProperty({ example: 2, description: 'the row number in the file (the header is row 1)' }) row!: number;
  @ApiProperty({ example: 'gz-kjj' }) code!: string;
  @ApiProperty({ enum: ['created', 'updated', 'unchanged'], example: 'created' })
  action!: 'created' | 'updated' | 'unchanged';
  @ApiPropertyOptional({
    example: ['name'],
    description: 'for an update: the fields it changes (name, region, parentCode)',
    type: [String],
  })
  changed?: string[];
}

export class DepartmentImportResultDto {
  @ApiProperty({ example: false, description: 'true: checked only, nothing stored' }) dryRun!: boolean;
  @ApiProperty({ example: 498, description: 'departments created' }) created!: number;
  @ApiProperty({ example: 2, description: 'existing departments renamed or moved' }) updated!: number;
  @ApiProperty({ example: 0, description: 'rows identical to the stored department' }) unchanged!: number;
  @ApiProperty({ example: 2, description: 'empty rows and the template’s example rows, not imported' })
  skipped!: number;
  @ApiProperty({ type: [DepartmentImportRowResultDto] }) rows!: DepartmentImportRowResultDto[];
}
