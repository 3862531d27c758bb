import { apostrophe } from 'authwire';

const client = apostrophe({ baseUrl: 'https://cms.example.com' });
declare const incompleteToken: string; // from a login answered with `incompleteToken`

const { data } = await client.api.POST('/api/v1/@apostrophecms/login/requirement-props', {
  body: { incompleteToken, name: 'AposTotp' },
});
console.log(data);
