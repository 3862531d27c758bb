import { apostrophe } from 'authwire';
import { createApi } from 'authwire/api';

declare const client: ReturnType<typeof apostrophe>; // signed in
const api = createApi(client);

// The legacy GET form; `client.profile()` uses the POST form.
const { data } = await api.GET('/api/v1/@apostrophecms/login/whoami');
console.log(data?.username);
