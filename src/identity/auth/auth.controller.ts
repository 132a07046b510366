import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Actor, Authenticated, CurrentActor, Public } from '../../api';
import { Audit } from '../../audit';
import { CurrentSession } from './access.guard';
import { ChangePasswordDto, LoginDto, LoginResultDto, MeDto, RefreshDto, TokenPairDto } from './auth.dto';
import { AuthService } from './auth.service';
import { LoginRateGuard } from './login-rate-limiter';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @UseGuards(LoginRateGuard)
  @Audit({ action: 'auth.login', objectType: 'session' })
  @ApiOkResponse({ type: LoginResultDto })
  login(@Body() body: LoginDto, @Req() req: Request): Promise<LoginResultDto> {
    return this.auth.login(body.username, body.password, { ip: req.ip ?? null, userAgent: req.headers['user-agent'] ?? null });
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @UseGuards(LoginRateGuard)
  @Audit({ action: 'auth.refresh', objectType: 'session' })
  @ApiOkResponse({ type: TokenPairDto })
  refresh(@Body() body: RefreshDto): Promise<TokenPairDto> {
    return this.auth.refresh(body.refreshToken);
  }

  /** Ends this session: its access and refresh tokens stop working at once. */
  @Post('logout')
  @Authenticated()
  @HttpCode(204)
  @Audit({ action: 'auth.logout', objectType: 'session' })
  logout(@CurrentSession() sessionId: string): Promise<void> {
    return this.auth.logout(sessionId);
  }

  @Get('me')
  @Authenticated()
  @ApiOkResponse({ type: MeDto })
  me(@CurrentActor() actor: Actor): MeDto {
    return actor;
  }

  /** Changes the caller's password; their other sessions end. */
  @Post('password')
  @Authenticated()
  @HttpCode(204)
  @Audit({ action: 'auth.password', objectType: 'users' })
  changePassword(@CurrentActor() actor: Actor, @CurrentSession() sessionId: string, @Body() body: ChangePasswordDto): Promise<void> {
    return this.auth.changePassword(actor, sessionId, body.currentPassword, body.newPassword);
  }
}
