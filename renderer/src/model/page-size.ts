/** Rows per keyset page of the list (the entry module asks for the first one before React loads). */
export const PAGE_SIZE = 200;
