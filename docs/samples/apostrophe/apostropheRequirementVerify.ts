import { apostrophe } from 'authwire';
import { createApi } from 'authwire/api';

const client = apostrophe({ baseUrl: 'https://cms.example.com' });
const api = createApi(client);
declare const incompleteToken: string; // from a login answered with `incompleteToken`

const { error } = await api.POST('/api/v1/@apostrophecms/login/requirement-verify', {
  body: { incompleteToken, name: 'AposTotp', value: '123456' },
});
console.log(error ?? 'verified');
