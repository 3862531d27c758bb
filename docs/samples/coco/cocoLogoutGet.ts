import { coco } from 'authwire';

declare const client: ReturnType<typeof coco>; // signed in

// The GET form; `client.logout()` uses POST and also clears the local session.
const { response } = await client.api.GET('/account/logout');
console.log(response.status);
