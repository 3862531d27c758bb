import { coco } from 'authwire';
import { createApi } from 'authwire/api';

const client = coco({ baseUrl: 'https://coco.example.com' });
const api = createApi(client);

// Anonymous: tells whether first-run setup is still required.
const { data } = await api.GET('/setting/application');
console.log(data);
