import { coco } from 'authwire';

const client = coco({ baseUrl: 'https://coco.example.com' });

// Anonymous: tells whether first-run setup is still required.
const { data } = await client.api.GET('/setting/application');
console.log(data);
