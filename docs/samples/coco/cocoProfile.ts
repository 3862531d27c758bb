import { coco } from 'authwire';

const client = coco({ baseUrl: 'https://coco.example.com', apiKey: process.env.COCO_API_TOKEN! }); // X-API-TOKEN
const me = await client.profile();
console.log(me.name, me.permissions);
