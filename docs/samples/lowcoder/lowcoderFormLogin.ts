import { lowcoder } from 'authwire';

const client = lowcoder({ baseUrl: 'https://lowcoder.example.com' });
// The session cookie is kept for you: a cookie jar in Node, the browser's store in browsers.
const session = await client.login({ email: 'ada@example.com', password: process.env.LOWCODER_PASSWORD! });
console.log(session.user?.name, session.expiresAt);
