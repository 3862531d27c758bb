import { apostrophe } from 'authwire';

const client = apostrophe({ baseUrl: 'https://cms.example.com' });

const { error } = await client.api.POST('/api/v1/@apostrophecms/login/reset', {
  body: { email: 'admin@example.com', reset: 'k2j3h4g5f6d7', password: process.env.NEW_PASSWORD! },
});
console.log(error ?? 'password changed');
