import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ApiKeyEntity, DepartmentEntity, type Role } from '@jiping/persistence';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { generateApiKey, hashApiKey } from '../auth/api-key-hash';
import { ApiError, ApiErrorCode } from '../common/api-error';
import type { ApiKeyDto, CreatedApiKeyDto } from './dto/create-api-key.dto';

@Injectable()
export class ApiKeysService {
  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    @InjectRepository(DepartmentEntity) private readonly departments: Repository<DepartmentEntity>,
  ) {}

  /** Creates a key; `key` may be given (bootstrap, demo), otherwise a random one is made. */
  async create(
    input: { name: string; role: Role; departmentCode?: string | null; key?: string },
    createdBy: string | null,
  ): Promise<CreatedApiKeyDto> {
    const departmentCode = input.role === 'department' ? (input.departmentCode ?? null) : null;
    if (input.role === 'department') {
      if (!departmentCode || !(await this.departments.existsBy({ code: departmentCode }))) {
        throw new ApiError(ApiErrorCode.VALIDATION_FAILED, 'a department key needs an existing department', [
          { pointer: '/departmentCode', message: `no department "${departmentCode ?? ''}"` },
        ]);
      }
    } else if (input.departmentCode) {
      throw new ApiError(ApiErrorCode.VALIDATION_FAILED, 'only department keys are bound to a department', [
        { pointer: '/departmentCode', message: `a ${input.role} key sees every department` },
      ]);
    }
    const key = input.key ?? generateApiKey();
    const entity = await this.keys.save(
      this.keys.create({
        id: randomUUID(),
        name: input.name,
        role: input.role,
        departmentCode,
        keyHash: hashApiKey(key),
        keyPrefix: key.slice(0, 7),
        createdAt: new Date(),
        createdBy,
      }),
    );
    return { ...toApiKeyDto(entity), key };
  }

  async list(): Promise<ApiKeyDto[]> {
    return (await this.keys.find({ order: { createdAt: 'ASC', name: 'ASC' } })).map(toApiKeyDto);
  }

  async remove(id: string): Promise<void> {
    const result = await this.keys.delete({ id });
    if (!result.affected) throw ApiError.notFound(`API key "${id}"`);
  }

  async count(): Promise<number> {
    return this.keys.count();
  }
}

function toApiKeyDto(entity: ApiKeyEntity): ApiKeyDto {
  return {
    id: entity.id,
    name: entity.name,
    role: entity.role,
    departmentCode: entity.departmentCode,
    keyPrefix: entity.keyPrefix,
    createdAt: entity.createdAt,
  };
}
