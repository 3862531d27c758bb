import { apostrophe } from 'authwire';

const client = apostrophe({ baseUrl: 'https://cms.example.com' });
declare const incompleteToken: string; // from a login answered with `incompleteToken`

const { error } = await client.api.POST('/api/v1/@apostrophecms/login/requirement-verify', {
  body: { incompleteToken, name: 'AposTotp', value: '123456' },
});
console.log(error ?? 'verified');
