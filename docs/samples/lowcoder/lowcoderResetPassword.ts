import { lowcoder } from 'authwire';

const client = lowcoder({ baseUrl: 'https://lowcoder.example.com' });

// The token from the reset mail (valid 12 hours); a wrong or expired one is an InvalidCredentialsError.
await client.resetPassword({ email: 'ada@example.com', token: process.env.RESET_TOKEN!, newPassword: process.env.NEW_PASSWORD! });
