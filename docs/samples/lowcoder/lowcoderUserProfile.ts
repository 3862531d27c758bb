import { lowcoder } from 'authwire';
import { createApi } from 'authwire/api';

declare const client: ReturnType<typeof lowcoder>; // signed in
const api = createApi(client);

// No high-level method: `createApi` gives the typed openapi-fetch client, authenticated like the client.
const { data, error } = await api.GET('/api/users/me');
if (error) throw new Error('profile failed');
console.log(data?.data);
