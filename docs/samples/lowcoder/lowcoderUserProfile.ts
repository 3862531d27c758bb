import { lowcoder } from 'authwire';

declare const client: ReturnType<typeof lowcoder>; // signed in

// No high-level method: the typed openapi-fetch client, authenticated like the rest.
const { data, error } = await client.api.GET('/api/users/me');
if (error) throw new Error('profile failed');
console.log(data?.data);
