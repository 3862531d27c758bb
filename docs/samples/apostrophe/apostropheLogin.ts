import { apostrophe } from 'authwire';

// Bearer mode (the default); `mode: 'cookie'` asks for a session cookie instead.
const client = apostrophe({ baseUrl: 'https://cms.example.com' });
const session = await client.login({ username: 'admin', password: process.env.APOS_PASSWORD! });
console.log(session.user?.title, session.expiresAt);
