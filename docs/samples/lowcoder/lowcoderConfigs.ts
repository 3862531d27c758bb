import { lowcoder } from 'authwire';
import { createApi } from 'authwire/api';

const client = lowcoder({ baseUrl: 'https://lowcoder.example.com' });
const api = createApi(client);

// Anonymous: tells the session cookie's name (the `cookieName` option) and the auth configs.
const { data } = await api.GET('/api/configs');
console.log(data?.data);
