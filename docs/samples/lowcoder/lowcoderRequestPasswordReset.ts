import { lowcoder } from 'authwire';

const client = lowcoder({ baseUrl: 'https://lowcoder.example.com' });

// Always an empty 200: the answer never tells whether the account exists or a mail went out.
await client.requestPasswordReset({ email: 'ada@example.com' });
