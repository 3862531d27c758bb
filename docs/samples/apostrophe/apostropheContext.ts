import { apostrophe } from 'authwire';
import { createApi } from 'authwire/api';

const client = apostrophe({ baseUrl: 'https://cms.example.com' });
const api = createApi(client);

// Which login requirements (captcha, 2FA…) the site has, before showing a login form.
const { data } = await api.POST('/api/v1/@apostrophecms/login/context');
console.log(data?.requirementProps);
