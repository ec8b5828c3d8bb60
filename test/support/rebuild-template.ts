import { rebuildTemplate, TEMPLATE_DB } from './test-database';

rebuildTemplate()
  .then(() => console.log(`test template database ${TEMPLATE_DB} rebuilt from migrations`))
  .catch((error: unknown) => {
    console.error('could not build the test template database:', error);
    process.exit(1);
  });
