// `npm run demo`: starts the loopback emulators of Lowcoder, ApostropheCMS and Coco Server and runs
// each platform's quick start through the built package, printing what happens.
import { apostrophe, coco, lowcoder, NotAuthenticatedError } from 'authwire';
import { startEmulators } from 'authwire/emulator';

const emulators = await startEmulators();
const say = (text) => console.log(`  ${text}`);
const failures = [];

async function quickStart(name, run) {
  console.log(`\n${name}`);
  try {
    await run();
  } catch (error) {
    failures.push(name);
    say(`FAILED: ${error.name}: ${error.message}`);
  }
}

/** A call that must now fail with NotAuthenticatedError. */
async function refused(label, call) {
  try {
    await call();
    throw new Error(`${label} still worked`);
  } catch (error) {
    if (!(error instanceof NotAuthenticatedError)) throw error;
    say(`${label}: refused (${error.name}${error.reason ? `, ${error.reason}` : ''})`);
  }
}

await quickStart(`Lowcoder at ${emulators.lowcoder.url}`, async () => {
  const client = lowcoder({ baseUrl: emulators.lowcoder.url });
  const session = await client.login({ email: 'ada@example.com', password: 's3cret-Passw0rd' });
  say(`signed in as ${session.user.name} (${session.mode} session, expires ${session.expiresAt.toISOString()})`);
  const me = await client.profile();
  say(`profile: ${me.name} <${me.email}>, groups ${me.groups.map((g) => g.groupName).join(', ')}`);
  const key = await client.createApiKey({ name: 'demo-bot', description: 'made by npm run demo' });
  say(`created API key ${key.id} (token shown once, ${key.token.length} chars)`);
  const bot = lowcoder({ baseUrl: emulators.lowcoder.url, apiKey: key.token });
  say(`second client with the key: ${(await bot.profile()).name}`);
  say(`listed keys: ${(await client.listApiKeys()).map((k) => `${k.name} ${k.token}`).join('; ')}`);
  const out = await client.logout();
  say(`logged out (server session deleted: ${out.serverRevoked})`);
  await refused('profile after logout', () => client.profile());
  say(`the API key still works after logout: ${(await bot.profile()).name}`);
  await client.login({ email: 'ada@example.com', password: 's3cret-Passw0rd' });
  await client.deleteApiKey(key.id);
  await refused('the deleted key', () => bot.profile());
  await client.logout();
});

await quickStart(`ApostropheCMS at ${emulators.apostrophe.url}`, async () => {
  const client = apostrophe({ baseUrl: emulators.apostrophe.url });
  const session = await client.login({ username: 'admin', password: 's3cret-Passw0rd' });
  say(`signed in as ${session.user.title} (bearer token, expires ${session.expiresAt.toISOString()})`);
  say(`whoami: ${JSON.stringify(await client.profile())}`);
  say('API keys: none over HTTP; they live in the site configuration (`apiKeys`)');
  const out = await client.logout();
  say(`logged out (bearer token deleted: ${out.serverRevoked})`);
  await refused('whoami after logout', () => client.profile());

  const browserLike = apostrophe({ baseUrl: emulators.apostrophe.url, mode: 'cookie' });
  await browserLike.login({ username: 'admin', password: 's3cret-Passw0rd' });
  say(`cookie session with the CSRF cookie: ${(await browserLike.profile()).username}`);
  say(`cookie logout (needs the CSRF cookie): server revoked ${(await browserLike.logout()).serverRevoked}`);
});

await quickStart(`Coco Server at ${emulators.coco.url}`, async () => {
  const client = coco({ baseUrl: emulators.coco.url });
  const session = await client.login({ email: 'admin@example.com', password: 's3cret-Passw0rd!' });
  say(`signed in as ${session.user.name} (bearer JWT, expires ${session.expiresAt.toISOString()})`);
  const key = await client.createApiKey({ name: 'demo-bot' });
  say(`created API token ${key.id}, valid until ${key.expiresAt.toISOString()}`);
  const bot = coco({ baseUrl: emulators.coco.url, apiKey: key.token });
  say(`second client with X-API-TOKEN: ${(await bot.profile()).email}`);
  const { total, keys } = await client.listApiKeys();
  say(`listed ${total} token(s): ${keys.map((k) => k.name).join(', ')}`);
  await client.renameApiKey(key.id, 'demo-bot-renamed');
  say('renamed the token');
  const out = await client.logout();
  say(`logged out locally; the JWT stays valid on the server until it expires (revoked: ${out.serverRevoked})`);
  await client.login({ email: 'admin@example.com', password: 's3cret-Passw0rd!' });
  await client.deleteApiKey(key.id);
  await refused('the deleted token', () => bot.profile());
});

await emulators.close();
console.log(failures.length ? `\n${failures.length} quick start(s) failed: ${failures.join(', ')}` : '\nAll three quick starts ran.');
process.exitCode = failures.length ? 1 : 0;
