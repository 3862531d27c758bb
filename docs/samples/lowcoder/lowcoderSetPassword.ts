import { lowcoder } from 'authwire';
import { createApi } from 'authwire/api';

declare const client: ReturnType<typeof lowcoder>; // signed in
const api = createApi(client);

// No high-level method on purpose: this route skips the old-password check and puts the password in
// the URL (access logs). Prefer `client.changePassword()`.
const { error } = await api.POST('/api/users/password', { params: { query: { password: process.env.NEW_PASSWORD! } } });
console.log(error ?? 'password set');
