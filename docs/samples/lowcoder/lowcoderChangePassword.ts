import { lowcoder } from 'authwire';

declare const client: ReturnType<typeof lowcoder>; // signed in (with an API key: the key owner's password)

// The server checks the old password: a wrong one is an InvalidCredentialsError.
await client.changePassword({ oldPassword: process.env.OLD_PASSWORD!, newPassword: process.env.NEW_PASSWORD! });
