/** The entry URL of the built CLI bundle when it is fresh, else undefined (freshBundle.js). */
export function freshBundle(): string | undefined;
