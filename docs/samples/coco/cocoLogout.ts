import { coco } from 'authwire';

declare const client: ReturnType<typeof coco>; // signed in

// Local only for bearer JWTs: Coco keeps them valid until they expire.
const { serverRevoked } = await client.logout();
console.log(serverRevoked);
