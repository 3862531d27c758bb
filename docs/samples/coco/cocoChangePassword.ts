import { coco } from 'authwire';
import { createApi } from 'authwire/api';

declare const client: ReturnType<typeof coco>; // signed in
const api = createApi(client);

const { error } = await api.PUT('/account/password', {
  body: { old_password: process.env.COCO_PASSWORD!, new_password: process.env.NEW_PASSWORD! },
});
console.log(error ?? 'password changed');
