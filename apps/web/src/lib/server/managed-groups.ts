import type { RequestEvent } from '@sveltejs/kit';
import { api } from './caller.ts';

/**
 * The signed-in user's groups (groups.mine), with the members of those they
 * manage (issue 11's delegated management): what "My groups" lists, and
 * whether their navigation shows it.
 */
export async function managedGroups(event: Pick<RequestEvent, 'locals'>) {
  return (await api(event).groups.mine()).items;
}

/** For navigation only: a failure here hides the link rather than failing the page around it. */
export async function managesAGroup(event: Pick<RequestEvent, 'locals'>): Promise<boolean> {
  try {
    return (await managedGroups(event)).some((g) => g.manager);
  } catch (err) {
    console.warn('navigation: groups.mine failed:', (err as Error).message);
    return false;
  }
}
