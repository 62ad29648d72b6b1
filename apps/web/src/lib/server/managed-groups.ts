import type { RequestEvent } from '@sveltejs/kit';
import { api } from './caller.ts';

/**
 * The groups the signed-in user manages (issue 11's delegated management):
 * what their "My groups" page lists, and whether their navigation shows it.
 */
export async function managedGroups(event: Pick<RequestEvent, 'locals'>) {
  return (await api(event).groups.mine()).items;
}

/** For navigation only: a failure here hides the link rather than failing the page around it. */
export async function managesAGroup(event: Pick<RequestEvent, 'locals'>): Promise<boolean> {
  try {
    return (await managedGroups(event)).length > 0;
  } catch (err) {
    console.warn('navigation: groups.mine failed:', (err as Error).message);
    return false;
  }
}
