import { apostrophe } from 'authwire';
import { createApi } from 'authwire/api';

const client = apostrophe({ baseUrl: 'https://cms.example.com' });
const api = createApi(client);

// The legacy GET form of the login page context.
const { data } = await api.GET('/api/v1/@apostrophecms/login/context');
console.log(data?.requirementProps);
