import { lowcoder } from 'authwire';

declare const client: ReturnType<typeof lowcoder>; // signed in

for (const key of await client.listApiKeys()) console.log(key.id, key.name, key.token); // token masked
