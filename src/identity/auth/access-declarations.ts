import { Inject, Injectable, Logger, OnApplicationBootstrap, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS_METADATA } from '../../api';
import { APP_CONFIG, AppConfig, ConfigError } from '../../config';

export interface Route {
  method: string;
  path: string;
  handler: string;
}

/**
 * Lists the endpoints that do not say who may call them (@Public, @Authenticated or @Roles on the
 * handler or its controller). With ANJU_REQUIRE_ACCESS_DECLARATIONS=true any such endpoint stops
 * the boot, naming it; otherwise the list is logged once as a warning.
 */
@Injectable()
export class AccessDeclarations implements OnApplicationBootstrap {
  private readonly logger = new Logger('AccessDeclarations');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const undeclared = this.undeclared();
    if (!undeclared.length) return;
    const list = undeclared.map((r) => `${r.method} ${r.path} (${r.handler})`).join(', ');
    if (this.config.security.requireAccessDeclarations) {
      throw new ConfigError('ANJU_REQUIRE_ACCESS_DECLARATIONS', `every endpoint to declare who may call it; undeclared: ${list}`, 'true');
    }
    this.logger.warn(`${undeclared.length} endpoint(s) do not declare who may call them: ${list}`);
  }

  undeclared(): Route[] {
    return this.routes().filter((r) => !r.declared).map(({ declared: _d, ...r }) => r);
  }

  routes(): (Route & { declared: boolean })[] {
    const out: (Route & { declared: boolean })[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as object | undefined;
      const type = wrapper.metatype as (new (...a: unknown[]) => unknown) | undefined;
      if (!instance || !type) continue;
      const base = (Reflect.getMetadata(PATH_METADATA, type) as string | undefined) ?? '';
      const classRule = this.reflector.get(ACCESS_METADATA, type);
      const proto = Object.getPrototypeOf(instance) as Record<string, (...a: unknown[]) => unknown>;
      for (const name of this.scanner.getAllMethodNames(proto)) {
        const fn = proto[name];
        const path = Reflect.getMetadata(PATH_METADATA, fn) as string | undefined;
        if (path === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod] ?? 'ALL';
        const full = `/${[base, path].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
        const declared = classRule !== undefined || this.reflector.get(ACCESS_METADATA, fn) !== undefined;
        out.push({ method, path: full, handler: `${type.name}.${name}`, declared });
      }
    }
    return out;
  }
}
