import { coco } from 'authwire';

declare const client: ReturnType<typeof coco>; // signed in

// The token is shown this once; `permissions` narrows it to a subset of the caller's.
const token = await client.createApiKey({ name: 'ci-bot', permissions: ['coco#document/read'] });
const bot = coco({ baseUrl: 'https://coco.example.com', apiKey: token.token });
console.log(token.id, token.expiresAt, (await bot.profile()).name);
