import { memberLayout } from '#lib/server/member-layout.ts';
import type { LayoutServerLoad } from './$types';

/** Managers' own page; the router still decides, per group, who may change its members. */
export const load: LayoutServerLoad = (event) => memberLayout(event);
