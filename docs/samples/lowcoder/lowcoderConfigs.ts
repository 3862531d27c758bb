import { lowcoder } from 'authwire';

const client = lowcoder({ baseUrl: 'https://lowcoder.example.com' });

// Anonymous: tells the session cookie's name (the `cookieName` option) and the auth configs.
const { data } = await client.api.GET('/api/configs');
console.log(data?.data);
