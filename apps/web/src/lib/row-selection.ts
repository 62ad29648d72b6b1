/** Row checkboxes (bulk actions): the selected ids after ticking one row, or every row of a page. */
export const toggleId = (selected: string[], id: string, on: boolean) => (on ? [...selected, id] : selected.filter((s) => s !== id));

export const togglePage = (selected: string[], ids: string[], on: boolean) =>
  on ? [...new Set([...selected, ...ids])] : selected.filter((s) => !ids.includes(s));

export const allSelected = (selected: string[], ids: string[]) => ids.length > 0 && ids.every((id) => selected.includes(id));
