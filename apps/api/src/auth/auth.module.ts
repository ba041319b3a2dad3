import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeyEntity, DepartmentEntity, UserEntity } from '@jiping/persistence';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { AuthService } from './auth.service';
import { OidcAuthenticator } from './oidc.authenticator';
import { SessionController } from './session.controller';

/** Signing in: API keys and the bureau's single sign-on, resolved to a user; GET /session. Global for AuthGuard. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([ApiKeyEntity, UserEntity, DepartmentEntity])],
  controllers: [SessionController],
  providers: [AuthService, ApiKeyAuthenticator, OidcAuthenticator],
  exports: [AuthService],
})
export class AuthModule {}
