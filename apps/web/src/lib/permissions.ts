/** One key of the permission catalogue, as `admin.permissions.catalogue` lists it. */
export interface CatalogueEntry {
  key: string;
  area: string;
  label: string;
  default: boolean;
}

/** Roster's own areas get a readable name; a deploying organisation's namespaces show as they are declared. */
const AREA_TITLES: Record<string, string> = {
  files: 'Files',
  profile: 'Profile',
  users: 'Users',
  apiKeys: 'API keys',
};

export const areaTitle = (area: string) => AREA_TITLES[area] ?? area;

/** The catalogue by area, in the catalogue's own order (first appearance of each area). */
export function byArea<T extends { area: string }>(entries: readonly T[]): [string, T[]][] {
  const areas = new Map<string, T[]>();
  for (const e of entries) {
    const list = areas.get(e.area);
    if (list) list.push(e);
    else areas.set(e.area, [e]);
  }
  return [...areas];
}

/** The keys a form posted under `name` (one checkbox per key), kept to the catalogue so junk never reaches the router. */
export function postedKeys(form: FormData, name: string, catalogue: readonly { key: string }[]): string[] {
  const known = new Set(catalogue.map((e) => e.key));
  return [...new Set(form.getAll(name).map(String))].filter((k) => known.has(k));
}
