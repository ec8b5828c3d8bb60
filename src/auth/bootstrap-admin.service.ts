import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { SYSTEM_ACTOR } from '../common/audit/audit.service';
import { PasswordsService } from './passwords.service';
import { User } from './user.entity';
import { ADMIN_SET_LOCK, UsersService } from './users.service';

/**
 * The first admin comes from BOOTSTRAP_ADMIN_EMAIL / _PASSWORD when no admin exists. Several
 * replicas may start at once: the check and the insert run under one advisory lock, so exactly
 * one of them creates the admin (and the unique email index backs that up).
 */
@Injectable()
export class BootstrapAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger('BootstrapAdmin');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly passwords: PasswordsService,
    private readonly users: UsersService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.bootstrapAdmin;
    if (!admin || (await this.adminExists(this.dataSource.manager))) return;
    const passwordHash = await this.passwords.hash(admin.password);
    await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [ADMIN_SET_LOCK]);
      if (await this.adminExists(manager)) return;
      if (await manager.existsBy(User, { email: admin.email })) {
        this.logger.warn('BOOTSTRAP_ADMIN_EMAIL belongs to an existing non-admin user; no bootstrap admin created');
        return;
      }
      const user = await this.users.insert(manager, SYSTEM_ACTOR, {
        email: admin.email,
        passwordHash,
        displayName: 'Bootstrap admin',
        role: 'admin',
        countryCodes: [],
        partnerId: null,
        status: 'active',
      });
      this.logger.log(`created the bootstrap admin (user ${user.id})`);
    });
  }

  private adminExists(manager: EntityManager): Promise<boolean> {
    return manager.existsBy(User, { role: 'admin' });
  }
}
