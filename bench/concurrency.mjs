// 1,000 concurrent calls on a session that needs a new login, against the Coco emulator (its own
// process) over loopback: once expired by the client's clock (found before sending), once refused
// by the server (401 to every in-flight call), beside a valid session for reference. Each must cost
// exactly one login. Run with --expose-gc; prints JSON.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { coco } from '../dist/node.js';

const CALLS = 1000;
const DAY = 24 * 60 * 60 * 1000;
const USER = { email: 'admin@example.com', password: 's3cret-Passw0rd!' };

function startEmulator() {
  const child = spawn(process.execPath, [new URL('coco-emulator.mjs', import.meta.url).pathname], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => (await lines.next()).value;
  return {
    url: next(),
    async send(command) {
      child.stdin.write(`${command}\n`);
      const answer = await next();
      return answer === 'ok' ? undefined : JSON.parse(answer);
    },
    close: () => child.stdin.end(),
  };
}

const heap = () => {
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};

async function scenario(emulator, name, expire) {
  let clientNow = Date.now();
  let asked = 0;
  const client = coco({
    baseUrl: await emulator.url,
    now: () => clientNow,
    getCredentials: () => {
      asked++;
      return USER;
    },
  });
  await client.login(USER);
  // Connections and code paths warm, so the burst measures the burst.
  await Promise.all(Array.from({ length: 50 }, () => client.profile()));
  await emulator.send('counts');
  await expire((ms) => (clientNow += ms));

  const before = heap();
  const start = process.hrtime.bigint();
  const outcomes = await Promise.allSettled(Array.from({ length: CALLS }, () => client.profile()));
  const totalMs = Number(process.hrtime.bigint() - start) / 1e6;
  const peak = process.memoryUsage().heapUsed;
  const failed = outcomes.filter((o) => o.status === 'rejected');
  const after = heap();
  const served = await emulator.send('counts');
  return {
    name,
    calls: CALLS,
    ok: CALLS - failed.length,
    failed: failed.length,
    firstError: failed[0] ? String(failed[0].reason) : undefined,
    logins: served.logins,
    getCredentialsCalls: asked,
    profileRequests: served.profiles,
    totalMs,
    heapGrowthBytes: after - before,
    heapPeakGrowthBytes: peak - before,
  };
}

const emulator = startEmulator();
const results = [
  await scenario(emulator, 'valid session (reference)', () => {}),
  // Both clocks move: the client finds the session expired before sending (a client clock a day
  // ahead of the server's would see every new token as expired too).
  await scenario(emulator, 'expired by the client clock', async (ahead) => {
    ahead(DAY + 60_000);
    await emulator.send(`advance ${DAY + 60_000}`);
  }),
  // The server's clock moves; the client's does not, so every in-flight call gets a 401.
  await scenario(emulator, 'refused by the server (401)', () => emulator.send(`advance ${DAY + 60_000}`)),
];
emulator.close();
process.stdout.write(JSON.stringify(results));
