import { coco } from 'authwire';
import { createApi } from 'authwire/api';

const client = coco({ baseUrl: 'https://coco.example.com' });
const api = createApi(client);

// Only on a fresh server; creates the admin user.
const { error } = await api.POST('/setup/_initialize', {
  body: { name: 'Ada', email: 'admin@example.com', password: process.env.COCO_PASSWORD!, language: 'en-US' },
});
console.log(error ?? 'initialized');
