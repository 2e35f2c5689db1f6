import { parseArgs } from 'node:util';
import { signDevStaffToken } from '../src/auth/dev-staff-token';
import type { StaffRole } from '../src/auth/viewer';
import { ConfigError, loadConfig } from '../src/config';
import { readOrCreateKeyFile } from '../src/secrets';

/**
 * `npm run token -- --role SUPPORT [--partner-id carrier-1] [--subject alice] [--ttl 3600]`
 * prints a staff token signed by the local dev key in DATA_DIR. Outside production only.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { role: { type: 'string' }, 'partner-id': { type: 'string' }, subject: { type: 'string' }, ttl: { type: 'string' } },
  });
  const config = loadConfig();
  if (config.production) throw new ConfigError('npm run token: the dev staff key is not trusted in production');
  if (!values.role) throw new ConfigError('npm run token: --role is required (SUPPORT, VERIFIER, PRIVACY_OFFICER or LOGISTICS_PARTNER)');
  const { devStaffKey } = readOrCreateKeyFile(config.dataDir);
  const token = await signDevStaffToken(devStaffKey, {
    role: values.role as StaffRole,
    subject: values.subject,
    partnerId: values['partner-id'],
    ttlSeconds: values.ttl ? Number(values.ttl) : undefined,
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
