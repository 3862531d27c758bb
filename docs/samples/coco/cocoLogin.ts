import { coco } from 'authwire';

// A 24 h bearer JWT (the default); `mode: 'cookie'` keeps the INFINI-SESSION cookie instead.
const client = coco({ baseUrl: 'https://coco.example.com' });
const session = await client.login({ email: 'admin@example.com', password: process.env.COCO_PASSWORD! });
console.log(session.user?.name, session.expiresAt);
