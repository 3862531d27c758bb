// What travels: the API token sent and the profile answered, shared by clients and the loopback server.
export const API_KEY = 'bench-api-token-d4cngvq8sig62phqk960Xr7Kq2Lm9Np4Vb6Tc1Yz8Wd3Fg5Hj0Ks7Qa2Ue9Ri4Oo6Pl1Mn3Bv8Cx5Zy0';
export const PATH = '/account/profile';
/** A profile that passes authwire's shape check (the contract's example). */
export const PROFILE = JSON.stringify({
  id: '2305b68a5c7204872dfee9be863db254',
  name: 'admin',
  email: 'admin@example.com',
  preferences: {},
  permissions: ['coco#document/read', 'coco#search/search', 'generic#security:auth:api-token/create'],
});
export const PROFILE_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'content-length': String(Buffer.byteLength(PROFILE)),
};
/** Raw fetch handed an abort signal: the least any client pays that can tear down a timed-out request. */
export const RAW_SIGNAL = 'raw fetch(url, init) with an abort signal';
