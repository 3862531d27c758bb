import { lowcoder } from 'authwire';

const client = lowcoder({ baseUrl: 'https://lowcoder.example.com' });

// Anonymous: the session cookie's name and the login methods the server offers.
const info = await client.serverInfo();
console.log(info);
