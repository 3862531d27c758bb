// The Coco emulator in its own process, so the client's heap figures hold only the client. Prints
// its URL, then answers one line per command on stdin: `advance <ms>` moves the server clock,
// `counts` prints and resets the logins and profile reads it served, as JSON.
import { createInterface } from 'node:readline';
import { serve } from '../dist/emulator.js';
import { createClock, mockCoco } from '../dist/msw.js';

const clock = createClock();
const mock = mockCoco({ clock });
const counts = { logins: 0, profiles: 0 };
const handle = mock.handle;
mock.handle = (request) => {
  const path = new URL(request.url).pathname;
  if (path === '/account/login') counts.logins++;
  if (path === '/account/profile') counts.profiles++;
  return handle(request);
};
const emulator = await serve(mock);
process.stdout.write(`${emulator.url}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  const [command, arg] = line.split(' ');
  if (command === 'advance') clock.advance(Number(arg));
  if (command === 'counts') {
    process.stdout.write(`${JSON.stringify(counts)}\n`);
    counts.logins = 0;
    counts.profiles = 0;
  } else process.stdout.write('ok\n');
}
await emulator.close();
