import { NotAuthenticatedError, lowcoder } from 'authwire';

const client = lowcoder({ baseUrl: 'https://lowcoder.example.com', apiKey: process.env.LOWCODER_API_KEY! });
try {
  const me = await client.profile();
  console.log(me.name, me.email);
} catch (error) {
  // The server's anonymous user (a 200) becomes reason 'anonymous'.
  if (error instanceof NotAuthenticatedError) console.log(error.reason);
  else throw error;
}
