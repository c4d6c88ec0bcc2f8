/** The served build folders and files that `npm run build` writes compressed copies of. */
export const SERVED: string[];
/** Write the .br and .gz copies of one file (each only when it is smaller); returns their sizes. */
export function precompress(file: string): { identity: number; br: number; gzip: number };
