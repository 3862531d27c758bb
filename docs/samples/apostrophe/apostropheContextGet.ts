import { apostrophe } from 'authwire';

const client = apostrophe({ baseUrl: 'https://cms.example.com' });

// The legacy GET form of the login page context.
const { data } = await client.api.GET('/api/v1/@apostrophecms/login/context');
console.log(data?.requirementProps);
