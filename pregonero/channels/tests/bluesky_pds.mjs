// A real Bluesky PDS with its own in-memory PLC (npm @atproto/dev-env), for the connector tests.
// Started by relay.py inside a loopback-only network namespace; ports and module path from env.
const { TestNetworkNoAppView } = await import(process.env.DEV_ENV_MODULE);
const network = await TestNetworkNoAppView.create({
  plc: { port: Number(process.env.PLC_PORT) },
  pds: { port: Number(process.env.PDS_PORT), hostname: 'localhost' },
});
console.log(`READY ${network.pds.url}`);
const stop = async () => {
  await network.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
