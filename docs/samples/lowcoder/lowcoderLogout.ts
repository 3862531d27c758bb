import { lowcoder } from 'authwire';

declare const client: ReturnType<typeof lowcoder>; // signed in

// Clears the local session even when the server call fails; API keys stay valid.
const { serverRevoked } = await client.logout();
console.log(serverRevoked);
