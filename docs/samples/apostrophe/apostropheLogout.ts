import { apostrophe } from 'authwire';

declare const client: ReturnType<typeof apostrophe>; // signed in

// Deletes the bearer token (or destroys the cookie session) and always clears the local session.
const { serverRevoked } = await client.logout();
console.log(serverRevoked);
