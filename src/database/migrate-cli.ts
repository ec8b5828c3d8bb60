/**
 * `npm run migration:run | migration:revert | migration:generate -- <Name> | migration:generate -- --check`
 *
 * Works on the compiled tree so that it needs nothing beyond what `npm run build` produced.
 * `--check` exits 1 when the entities and the migrations disagree (what a test asserts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDataSource } from './data-source';
import { pendingSchemaChanges } from './schema-drift';

async function main(): Promise<void> {
  const [command, arg] = process.argv.slice(2);
  const dataSource = createDataSource();
  await dataSource.initialize();
  try {
    if (command === 'run') {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      console.log(applied.length ? applied.map((m) => `applied ${m.name}`).join('\n') : 'schema is up to date');
    } else if (command === 'revert') {
      await dataSource.undoLastMigration({ transaction: 'each' });
      console.log('reverted the last migration');
    } else if (command === 'generate') {
      const { up, down } = await pendingSchemaChanges(dataSource);
      if (arg === '--check') {
        if (up.length) {
          console.error(`entities and migrations disagree; a new migration would run:\n${up.join(';\n')}`);
          process.exitCode = 1;
        } else console.log('entities and migrations agree');
        return;
      }
      if (!arg || !/^[A-Za-z][A-Za-z0-9]*$/.test(arg)) throw new Error('usage: migration:generate -- <PascalCaseName> | --check');
      if (!up.length) {
        console.log('no changes: entities and migrations already agree');
        return;
      }
      const timestamp = Date.now();
      const file = join(__dirname, '..', '..', '..', 'migrations', `${timestamp}-${arg}.ts`);
      writeFileSync(file, migrationSource(`${arg}${timestamp}`, up, down));
      console.log(`wrote ${file}`);
    } else {
      throw new Error('usage: migrate-cli run | revert | generate <Name> | generate --check');
    }
  } finally {
    await dataSource.destroy();
  }
}

function migrationSource(className: string, up: string[], down: string[]): string {
  const lines = (queries: string[]) =>
    queries.map((q) => `    await queryRunner.query(\`${q.replace(/[`\\]/g, '\\$&').replace(/\$\{/g, '\\${')}\`);`).join('\n');
  return `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${lines(up)}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${lines(down)}
  }
}
`;
}

main().catch((error: unknown) => {
  // The message only: a query error object carries its parameters, which may be personal data.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
