import { apostrophe } from 'authwire';
import { createApi } from 'authwire/api';

const client = apostrophe({ baseUrl: 'https://cms.example.com' });
const api = createApi(client);

// `email` and `reset` come from the link in the reset email.
const { error } = await api.GET('/api/v1/@apostrophecms/login/reset', {
  params: { query: { email: 'admin@example.com', reset: 'k2j3h4g5f6d7' } },
});
console.log(error ? 'link invalid or expired' : 'link valid');
