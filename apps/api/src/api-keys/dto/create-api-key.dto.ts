import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches, ValidateIf } from 'class-validator';
import type { Role } from '@jiping/persistence';

export class CreateApiKeyDto {
  @ApiProperty({ example: '科技局填报账号', description: 'who or what uses the key' })
  @IsString()
  @Length(1, 64) // it is written as created_by / published_by (varchar 64) on everything the key does
  name!: string;

  @ApiProperty({ enum: ['admin', 'evaluator', 'department'], example: 'department' })
  @IsIn(['admin', 'evaluator', 'department'])
  role!: Role;

  @ApiPropertyOptional({ example: 'gz-kjj', description: 'required for a department key: the only department it sees' })
  @ValidateIf((dto: CreateApiKeyDto) => dto.role === 'department' || dto.departmentCode !== undefined)
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'departmentCode must be a kebab-case department code' })
  @IsOptional()
  departmentCode?: string;
}

export class ApiKeyDto {
  @ApiProperty({ example: '0b6c9c1e-3c1e-4d47-a7b2-0f4c1f6a9d21' }) id!: string;
  @ApiProperty({ example: '科技局填报账号' }) name!: string;
  @ApiProperty({ enum: ['admin', 'evaluator', 'department'] }) role!: Role;
  @ApiPropertyOptional({ example: 'gz-kjj', nullable: true }) departmentCode!: string | null;
  @ApiProperty({ example: 'jp_Xq3v', description: 'the first characters of the key' }) keyPrefix!: string;
  @ApiProperty() createdAt!: Date;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ example: 'jp_Xq3v…', description: 'the key itself: shown once, only in this response' }) key!: string;
}
