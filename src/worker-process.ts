// Imported first by worker.ts: the logger and the database's application_name read this, so that
// every log line and every connection in pg_stat_activity says which process it comes from.
process.env.JSD_PROCESS = 'worker';
