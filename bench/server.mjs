// The loopback peer: a node:http server on 127.0.0.1 answering every request with the profile
// JSON, keep-alive. Run as its own process so its CPU time does not land in the client's timings;
// prints its URL on stdout and exits when stdin closes.
import { createServer } from 'node:http';
import { PROFILE, PROFILE_HEADERS } from './wire.mjs';

const body = Buffer.from(PROFILE);
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, PROFILE_HEADERS);
    res.end(body);
  });
});
// Longer than any pause between suites, so no connection is re-opened mid-measurement.
server.keepAliveTimeout = 120_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${server.address().port}\n`);
});
process.stdin.resume();
process.stdin.on('end', () => {
  server.closeAllConnections();
  server.close();
});
