/** Placeholder replaced below. */
export {};
