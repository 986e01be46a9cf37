/** The store's file in the data folder (resolveDataDir). */
export const databaseFileName = 'service-creator.db';
