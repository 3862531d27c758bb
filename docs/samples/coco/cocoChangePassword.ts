import { coco } from 'authwire';

declare const client: ReturnType<typeof coco>; // signed in

const { error } = await client.api.PUT('/account/password', {
  body: { old_password: process.env.COCO_PASSWORD!, new_password: process.env.NEW_PASSWORD! },
});
console.log(error ?? 'password changed');
