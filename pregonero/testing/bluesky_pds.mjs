// A real Bluesky PDS with its own in-memory PLC (npm @atproto/dev-env), for the connector tests.
// Started by relay.py inside a loopback-only network namespace; ports and module path from env.
//
// With DB_POSTGRES_URL set it starts the whole network (TestNetwork): PLC, PDS, the bsky
// AppView that indexes the PDS's firehose (notifications, threads), bsync and ozone, all on
// PostgreSQL schemas named after DB_POSTGRES_SCHEMA, dropped again on stop. Without it, only
// PLC and PDS (TestNetworkNoAppView, SQLite). READY_FILE is written once everything is up.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';

const devEnv = await import(process.env.DEV_ENV_MODULE);
const schema = process.env.DB_POSTGRES_SCHEMA;
const postgresUrl = process.env.DB_POSTGRES_URL;
// Every schema TestNetwork makes for its services (see @atproto/dev-env network.js).
const schemas = schema ? [`appview_${schema}`, `bsync_${schema}`, `ozone_${schema}`] : [];

const postgres = async (url, sql) => {
  const pg = createRequire(new URL(process.env.DEV_ENV_MODULE))('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const statement of sql) await client.query(statement);
  } finally {
    await client.end();
  }
};

const createDatabase = async () => {
  const url = new URL(postgresUrl);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  try {
    await postgres(url.toString(), [`CREATE DATABASE "${name}"`]);
  } catch (error) {
    // Already there (42P04), or created at the same moment by another test session (23505).
    if (!['42P04', '23505'].includes(error.code)) throw error;
  }
};

const dropSchemas = () => postgres(postgresUrl, schemas.map((s) => `DROP SCHEMA IF EXISTS "${s}" CASCADE`));

// Schemas of runs whose process is gone (killed before it could drop them): pregonero_<pid as
// letters a-j>_<random>. Only this machine's runs share the server's database by default.
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code !== 'ESRCH';
  }
};
const dropAbandoned = async () => {
  const pg = createRequire(new URL(process.env.DEV_ENV_MODULE))('pg');
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT nspname FROM pg_namespace WHERE nspname ~ '^(appview|bsync|ozone)_pregonero_[a-j]+_[a-z]+$'",
    );
    for (const { nspname } of rows) {
      const pid = Number([...nspname.split('_')[2]].map((c) => c.charCodeAt(0) - 97).join(''));
      if (!alive(pid)) await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
    }
  } finally {
    await client.end();
  }
};

let network;
if (postgresUrl) {
  await createDatabase();
  await dropAbandoned();
  await dropSchemas();
  network = await devEnv.TestNetwork.create({
    dbPostgresUrl: postgresUrl,
    dbPostgresSchema: schema,
    plc: { port: Number(process.env.PLC_PORT) },
    pds: { port: Number(process.env.PDS_PORT), hostname: 'localhost' },
  });
} else {
  network = await devEnv.TestNetworkNoAppView.create({
    plc: { port: Number(process.env.PLC_PORT) },
    pds: { port: Number(process.env.PDS_PORT), hostname: 'localhost' },
  });
}
console.log(`READY ${network.pds.url}${network.bsky ? ` appview ${network.bsky.url}` : ''}`);
if (process.env.READY_FILE) writeFileSync(process.env.READY_FILE, network.pds.url);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  try {
    await network.close();
    if (postgresUrl) await dropSchemas();
  } finally {
    process.exit(0);
  }
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
