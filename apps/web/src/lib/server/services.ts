import { instanceServices, publicBaseUrl, reachedOverHttps as overHttps, setupTokenRequired } from '@roster/api';

/** The process's services (@roster/api's web-instance.ts), shared with the API handler server.ts mounts in front of SvelteKit, which also closes them. */
export const getServices = instanceServices;
export { publicBaseUrl, setupTokenRequired };

/** Whether people reach the instance over https (ROSTER_PUBLIC_URL when set, else this request's scheme). */
export const reachedOverHttps = (requestUrl: URL): boolean => overHttps(requestUrl.protocol === 'https:');
