import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Role, Roles } from '../../api';
import { Audit } from '../../audit';
import { BadInputError } from '../../common';
import {
  CreateUserDto,
  ListUsersQuery,
  ResetPasswordDto,
  RevealDto,
  RevealedDto,
  SearchUsersDto,
  SetRolesDto,
  SetScopesDto,
  UserDto,
} from './users.dto';
import { UsersService } from './users.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new BadInputError('VALIDATION_FAILED', 'Invalid id: must be a UUID', { fields: [{ field: 'id', problems: ['must be a UUID'] }] }) });

/** Accounts, for the administrators. Personal data comes masked; /reveal unmasks, audited. */
@ApiTags('users')
@Controller('api/users')
@Roles(Role.SystemAdmin, Role.SecurityAdmin)
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOkResponse({ type: [UserDto] })
  list(@CurrentActor() actor: Actor, @Query() q: ListUsersQuery): Promise<UserDto[]> {
    return this.users.list(actor, q);
  }

  /** Exact search by ID number or phone (POST: the number travels in the body, never in a URL or a log). */
  @Post('search')
  @HttpCode(200)
  @Audit({ action: 'users.search' })
  @ApiOkResponse({ type: [UserDto] })
  search(@CurrentActor() actor: Actor, @Body() body: SearchUsersDto): Promise<UserDto[]> {
    return this.users.search(actor, body);
  }

  @Get(':id')
  @ApiOkResponse({ type: UserDto })
  get(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<UserDto> {
    return this.users.get(actor, id);
  }

  @Post()
  @Roles(Role.SystemAdmin)
  @Audit({ action: 'users.create' })
  @ApiCreatedResponse({ type: UserDto })
  create(@CurrentActor() actor: Actor, @Body() body: CreateUserDto): Promise<UserDto> {
    return this.users.create(actor, body);
  }

  @Put(':id/roles')
  @Audit({ action: 'users.roles' })
  @ApiOkResponse({ type: UserDto })
  setRoles(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: SetRolesDto): Promise<UserDto> {
    return this.users.setRoles(actor, id, body.roles);
  }

  @Put(':id/scopes')
  @Roles(Role.SecurityAdmin)
  @Audit({ action: 'users.scopes' })
  @ApiOkResponse({ type: UserDto })
  setScopes(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: SetScopesDto): Promise<UserDto> {
    return this.users.setScopes(actor, id, body.scopes);
  }

  @Post(':id/unlock')
  @Roles(Role.SecurityAdmin)
  @HttpCode(200)
  @Audit({ action: 'users.unlock' })
  @ApiOkResponse({ type: UserDto })
  unlock(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<UserDto> {
    return this.users.unlock(actor, id);
  }

  @Post(':id/disable')
  @Roles(Role.SystemAdmin)
  @HttpCode(200)
  @Audit({ action: 'users.disable' })
  @ApiOkResponse({ type: UserDto })
  disable(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<UserDto> {
    return this.users.setStatus(actor, id, 'disabled');
  }

  @Post(':id/enable')
  @Roles(Role.SystemAdmin)
  @HttpCode(200)
  @Audit({ action: 'users.enable' })
  @ApiOkResponse({ type: UserDto })
  enable(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<UserDto> {
    return this.users.setStatus(actor, id, 'active');
  }

  @Post(':id/password')
  @Roles(Role.SystemAdmin)
  @HttpCode(204)
  @Audit({ action: 'users.password_reset' })
  resetPassword(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: ResetPasswordDto): Promise<void> {
    return this.users.resetPassword(actor, id, body.password);
  }

  /** The clear values of some personal fields, with a stated purpose; written to the audit log first. */
  @Post(':id/reveal')
  @Roles(Role.SystemAdmin)
  @HttpCode(200)
  @ApiOkResponse({ type: RevealedDto })
  reveal(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: RevealDto): Promise<RevealedDto> {
    return this.users.reveal(actor, id, body.fields, body.purpose);
  }
}
