import { lowcoder } from 'authwire';

declare const client: ReturnType<typeof lowcoder>; // signed in
declare const keyId: string;

await client.deleteApiKey(keyId); // unknown ids succeed too
