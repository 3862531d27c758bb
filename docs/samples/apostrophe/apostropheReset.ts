import { apostrophe } from 'authwire';
import { createApi } from 'authwire/api';

const client = apostrophe({ baseUrl: 'https://cms.example.com' });
const api = createApi(client);

const { error } = await api.POST('/api/v1/@apostrophecms/login/reset', {
  body: { email: 'admin@example.com', reset: 'k2j3h4g5f6d7', password: process.env.NEW_PASSWORD! },
});
console.log(error ?? 'password changed');
