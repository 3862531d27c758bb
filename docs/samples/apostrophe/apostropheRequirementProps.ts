import { apostrophe } from 'authwire';
import { createApi } from 'authwire/api';

const client = apostrophe({ baseUrl: 'https://cms.example.com' });
const api = createApi(client);
declare const incompleteToken: string; // from a login answered with `incompleteToken`

const { data } = await api.POST('/api/v1/@apostrophecms/login/requirement-props', {
  body: { incompleteToken, name: 'AposTotp' },
});
console.log(data);
