import { apostrophe } from 'authwire';

const client = apostrophe({ baseUrl: 'https://cms.example.com' });

// Answers the same whether or not the address is known.
const { error } = await client.api.POST('/api/v1/@apostrophecms/login/reset-request', {
  body: { email: 'admin@example.com' },
});
console.log(error ?? 'sent if the address is known');
