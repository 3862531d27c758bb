import { apostrophe } from 'authwire';
import { createApi } from 'authwire/api';

const client = apostrophe({ baseUrl: 'https://cms.example.com' });
const api = createApi(client);

// Answers the same whether or not the address is known.
const { error } = await api.POST('/api/v1/@apostrophecms/login/reset-request', {
  body: { email: 'admin@example.com' },
});
console.log(error ?? 'sent if the address is known');
