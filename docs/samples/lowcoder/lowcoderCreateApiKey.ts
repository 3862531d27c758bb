import { lowcoder } from 'authwire';

declare const client: ReturnType<typeof lowcoder>; // signed in

// The token is shown this once; it carries all of its creator's rights and never expires.
const key = await client.createApiKey({ name: 'ci-bot', description: 'Nightly export job' });
const bot = lowcoder({ baseUrl: 'https://lowcoder.example.com', apiKey: key.token });
console.log((await bot.profile()).name);
