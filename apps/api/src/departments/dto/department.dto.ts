import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches, MaxLength } from 'class-validator';
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
}

export class DepartmentDto {
  @ApiProperty({ example: 'gz-kjj' }) code!: string;
  @ApiProperty({ example: '广州市科学技术局' }) name!: string;
  @ApiProperty({ example: '广州市' }) region!: string;
  @ApiProperty({ example: '2021-02-25T08:00:00.000Z', description: 'ISO 8601' }) createdAt!: string;
}
