import { coco } from 'authwire';

declare const client: ReturnType<typeof coco>; // signed in

const { total, keys } = await client.listApiKeys({ query: 'ci', size: 20 });
console.log(total, keys.map((key) => `${key.name} until ${key.expiresAt?.toISOString()}`));
