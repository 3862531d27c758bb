import { coco } from 'authwire';

declare const client: ReturnType<typeof coco>; // signed in

// Changes the caller's password; sessions and tokens already issued stay valid.
await client.changePassword({ oldPassword: process.env.COCO_PASSWORD!, newPassword: process.env.NEW_PASSWORD! });
