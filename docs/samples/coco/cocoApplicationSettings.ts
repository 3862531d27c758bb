import { coco } from 'authwire';

const client = coco({ baseUrl: 'https://coco.example.com' });

// Anonymous: whether setup is still required, and which login methods the server offers.
const info = await client.serverInfo();
console.log(info);
