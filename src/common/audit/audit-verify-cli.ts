/** `npm run audit:verify`: exits 1 and names the first broken row when the audit chain was tampered with. */
import { Client } from 'pg';
import { ConfigError, loadConfig } from '../../config/app-config';
import { verifyAuditChain } from './audit-verify';

async function main(): Promise<void> {
  const client = new Client({ connectionString: loadConfig().databaseUrl });
  await client.connect();
  try {
    const result = await verifyAuditChain(client);
    if (result.ok) {
      console.log(`audit log intact: ${result.checked} events verified`);
    } else {
      console.error(`audit log TAMPERED at seq ${result.brokenAt?.seq}: ${result.brokenAt?.reason} (${result.checked} events verified before it)`);
      process.exitCode = 1;
    }
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(2);
});
