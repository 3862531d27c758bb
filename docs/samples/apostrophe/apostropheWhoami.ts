import { apostrophe } from 'authwire';

const client = apostrophe({ baseUrl: 'https://cms.example.com', apiKey: process.env.APOS_API_KEY! });
const me = await client.profile(); // NotAuthenticatedError when signed out
console.log(me._id, me.username, me.title);
