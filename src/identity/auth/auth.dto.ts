import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'jj_window' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  username: string;

  @ApiProperty({ example: 'Anju@2025demo' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'the refreshToken of the last login or refresh (each one works once)' })
  @IsString()
  @MaxLength(200)
  refreshToken: string;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @MaxLength(256) currentPassword: string;
  @ApiProperty({ description: 'at least 10 characters, three of lower/upper/digit/symbol, not containing the username' })
  @IsString()
  @MaxLength(256)
  newPassword: string;
}

export class TokenPairDto {
  @ApiProperty({ description: 'JWT; send as Authorization: Bearer <accessToken>' }) accessToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ example: 600 }) expiresIn: number;
  @ApiProperty({ description: 'opaque; POST /api/auth/refresh trades it for a new pair, once' }) refreshToken: string;
  @ApiProperty() sessionExpiresAt: string;
}

export class LoginResultDto extends TokenPairDto {
  @ApiProperty({ description: 'set by an administrator reset or a password older than 90 days' }) mustChangePassword: boolean;
}

export class MeDto {
  @ApiProperty() id: string;
  @ApiProperty() username: string;
  @ApiProperty({ type: [String] }) roles: string[];
  @ApiProperty({ nullable: true }) organizationId: string | null;
  @ApiProperty({ type: [String], description: 'region codes or groups (CDMZ) whose data the user may see' }) regionScopes: string[];
  @ApiProperty({ type: [String], example: ['department_checker:民政:510104'] }) groups: string[];
}
