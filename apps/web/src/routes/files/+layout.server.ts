import { memberLayout } from '#lib/server/member-layout.ts';
import type { LayoutServerLoad } from './$types';

/** Every active account has files. */
export const load: LayoutServerLoad = (event) => memberLayout(event);
