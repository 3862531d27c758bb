import { coco } from 'authwire';

const client = coco({ baseUrl: 'https://coco.example.com' });

// Only on a fresh server; creates the admin user.
const { error } = await client.api.POST('/setup/_initialize', {
  body: { name: 'Ada', email: 'admin@example.com', password: process.env.COCO_PASSWORD!, language: 'en-US' },
});
console.log(error ?? 'initialized');
