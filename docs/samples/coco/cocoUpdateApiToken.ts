import { coco } from 'authwire';

declare const client: ReturnType<typeof coco>; // signed in
declare const tokenId: string;

await client.renameApiKey(tokenId, 'ci-bot-renamed');
