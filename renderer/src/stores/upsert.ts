/** Puts `updated` in the place of the item with its id, or at the end of `items` when there is none. */
export function upsertById<T extends { id: number }>(items: T[], updated: T): void {
  const index = items.findIndex((item) => item.id === updated.id)
  if (index >= 0) items.splice(index, 1, updated)
  else items.push(updated)
}
