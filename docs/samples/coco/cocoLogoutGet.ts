import { coco } from 'authwire';
import { createApi } from 'authwire/api';

declare const client: ReturnType<typeof coco>; // signed in
const api = createApi(client);

// The GET form; `client.logout()` uses POST and also clears the local session.
const { response } = await api.GET('/account/logout');
console.log(response.status);
