import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ApiKeyEntity, DepartmentEntity, type Role } from '@jiping/persistence';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { type AuditEntry, AuditService, systemActor } from '../audit/audit.service';
import { generateApiKey, hashApiKey } from '../auth/api-key-hash';
import type { Principal } from '../auth/principal';
import { ApiError, ApiErrorCode } from '../common/api-error';
import type { ApiKeyDto, CreatedApiKeyDto } from './dto/create-api-key.dto';

@Injectable()
export class ApiKeysService {
  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    @InjectRepository(DepartmentEntity) private readonly departments: Repository<DepartmentEntity>,
    private readonly audit: AuditService,
  ) {}

  /**
   * Creates a key; `key` may be given (bootstrap, demo), otherwise a random one is made. The audit log names `actor`,
   * or the service itself (as `createdBy`) when the key is made at start.
   */
  async create(
    input: { name: string; role: Role; departmentCode?: string | null; key?: string },
    createdBy: string | null,
    actor?: Principal,
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
    const entity = await this.keys.manager.transaction(async (manager) => {
      const entity = await manager.getRepository(ApiKeyEntity).save(
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
      const by = actor ?? systemActor(createdBy ?? 'bootstrap');
      await this.audit.record(by, keyEntry('api-key.created', entity), manager);
      return entity;
    });
    return { ...toApiKeyDto(entity), key };
  }

  async list(): Promise<ApiKeyDto[]> {
    return (await this.keys.find({ order: { createdAt: 'ASC', name: 'ASC' } })).map(toApiKeyDto);
  }

  async remove(id: string, actor: Principal): Promise<void> {
    await this.keys.manager.transaction(async (manager) => {
      const keys = manager.getRepository(ApiKeyEntity);
      const entity = await keys.findOneBy({ id });
      const result = entity ? await keys.delete({ id }) : undefined;
      if (!entity || !result?.affected) throw ApiError.notFound(`API key "${id}"`);
      await this.audit.record(actor, keyEntry('api-key.deleted', entity), manager);
    });
  }

  async count(): Promise<number> {
    return this.keys.count();
  }
}

/** Never the key, nor its hash or prefix: who holds which role. */
function keyEntry(action: 'api-key.created' | 'api-key.deleted', entity: ApiKeyEntity): AuditEntry {
  return {
    action,
    entityType: 'api-key',
    entityId: entity.id,
    departmentCode: entity.departmentCode,
    details: { name: entity.name, role: entity.role },
  };
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
