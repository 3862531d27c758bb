import { apostrophe } from 'authwire';

const client = apostrophe({ baseUrl: 'https://cms.example.com' });

// Which login requirements (captcha, 2FA…) the site has, before showing a login form.
const { data } = await client.api.POST('/api/v1/@apostrophecms/login/context');
console.log(data?.requirementProps);
