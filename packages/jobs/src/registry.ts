import type { JobDefinition } from './definition.ts';
import { sessionsCleanup } from './definitions/sessions-cleanup.ts';

/** Every job the worker runs, by name. */
export const jobDefinitions: JobDefinition[] = [sessionsCleanup];

export function jobByName(name: string): JobDefinition | undefined {
  return jobDefinitions.find((j) => j.name === name);
}
