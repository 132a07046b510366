import { Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { AuditModule } from '../audit';
import { AccessDeclarations } from './auth/access-declarations';
import { AccessGuard } from './auth/access.guard';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { LoginRateGuard, LoginRateLimiter } from './auth/login-rate-limiter';
import { SessionsRepository } from './auth/sessions.repository';
import { Tokens } from './auth/tokens';
import { PersonalDataService } from './personal-data/personal-data.service';
import { IdentitySeeder } from './seed/identity-seeder';
import { OrganizationsRepository } from './users/organizations.repository';
import { OrganizationsService } from './users/organizations.service';
import { OrganizationsController } from './users/organizations.controller';
import { UsersController } from './users/users.controller';
import { UsersRepository } from './users/users.repository';
import { UsersService } from './users/users.service';
import { UserDirectory } from './users/user-directory';

/**
 * Users, organisations, roles and data scopes; login and sessions; the global AccessGuard that
 * puts the caller on every request; personal-data protection for every module.
 */
@Module({
  imports: [AuditModule, DiscoveryModule],
  controllers: [AuthController, UsersController, OrganizationsController],
  providers: [
    AuthService,
    Tokens,
    SessionsRepository,
    UsersRepository,
    UsersService,
    OrganizationsRepository,
    OrganizationsService,
    PersonalDataService,
    LoginRateLimiter,
    LoginRateGuard,
    IdentitySeeder,
    AccessDeclarations,
    UserDirectory,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [PersonalDataService, AuthService, IdentitySeeder, AccessDeclarations, UserDirectory],
})
export class IdentityModule {}
