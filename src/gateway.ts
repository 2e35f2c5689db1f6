import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { AuthResolver } from './auth/auth.resolver';
import { AuthService } from './auth/auth.service';
import { Authenticator } from './auth/authenticator';
import { LoginThrottle } from './auth/login-throttle';
import { MemberTokens } from './auth/member-tokens';
import { PasswordHasher } from './auth/password-hasher';
import { SessionService } from './auth/session.service';
import { StaffTokens } from './auth/staff-tokens';
import type { Config } from './config';
import { ConsentService } from './consent/consent.service';
import { BlindIndex, KeyWrapper, MasterKeys } from './crypto';
import { createDataSource } from './db/data-source';
import type { Logger } from './logger';
import { MemberCiphers } from './members/member-ciphers';
import { MemberResolver } from './members/member.resolver';
import { MemberService } from './members/member.service';
import { buildGatewaySchema } from './schema';
import { loadSecrets } from './secrets';
import { createHttpServer } from './server';

export interface Gateway {
  /** e.g. http://127.0.0.1:4000/graphql */
  url: string;
  port: number;
  dataSource: DataSource;
  stop(): Promise<void>;
}

/**
 * Boots one gateway: key material, database (migrations applied), services, schema, HTTP.
 * Used by main.ts and by the tests, which start the real thing on a free port.
 */
export async function startGateway(config: Config, logger: Logger): Promise<Gateway> {
  const secrets = loadSecrets(config);
  const dataSource = await createDataSource(config.database);
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0) logger.info({ migrations: applied.map((migration) => migration.name) }, 'migrations applied');

    const master = new MasterKeys(secrets.masterSecret);
    const ciphers = new MemberCiphers(new KeyWrapper(master), new BlindIndex(master.blindIndexKey));
    const hasher = new PasswordHasher(config.passwordHashCost);
    const sessions = new SessionService(dataSource, config.tokens.refreshTtlSeconds);
    const consents = new ConsentService(dataSource);
    const members = new MemberService(dataSource, ciphers, hasher, sessions, consents, {
      minorAge: config.minorAge,
      stepUpMaxAgeSeconds: config.tokens.stepUpMaxAgeSeconds,
    });
    const memberTokens = await MemberTokens.create(secrets.signingKey, secrets.previousVerificationKeys, {
      issuer: config.tokens.issuer,
      audience: config.tokens.audience,
      ttlSeconds: config.tokens.accessTtlSeconds,
    });
    const staffTokens = StaffTokens.fromConfig(config.staff, config.production ? undefined : secrets.devStaffKey);
    const auth = new AuthService(dataSource, members, sessions, memberTokens, hasher, new LoginThrottle(config.login));
    const authenticator = new Authenticator(memberTokens, staffTokens, members, sessions);

    const instances = new Map<unknown, unknown>([
      [MemberResolver, new MemberResolver(members, auth, consents)],
      [AuthResolver, new AuthResolver(auth)],
    ]);
    const schema = await buildGatewaySchema({ get: (resolverClass) => instances.get(resolverClass) });
    const { httpServer, apollo } = await createHttpServer({
      config,
      logger,
      schema,
      authenticator,
      memberTokens,
      databaseReady: async () => {
        await dataSource.query('SELECT 1');
      },
    });
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, resolve);
    });
    const { port } = httpServer.address() as AddressInfo;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    return {
      url: `http://${host}:${port}/graphql`,
      port,
      dataSource,
      async stop() {
        await apollo.stop(); // drains the HTTP server first
        await dataSource.destroy();
      },
    };
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}
