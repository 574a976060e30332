/** The colours of an Element Plus tag, for the `*Tag` helpers that map a state to one. */
export type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'
