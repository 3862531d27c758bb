import { apostrophe } from 'authwire';

declare const client: ReturnType<typeof apostrophe>; // signed in

// The legacy GET form; `client.profile()` uses the POST form.
const { data } = await client.api.GET('/api/v1/@apostrophecms/login/whoami');
console.log(data?.username);
