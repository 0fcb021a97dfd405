/** Named values the server keeps in the database (the sealed master key, markers of one-time upgrades). */
import type { SettingsStore } from '../../core/stores.js';
import type { StoreContext } from './context.js';

export function settingsStore({ db }: StoreContext): SettingsStore {
  return {
    /** The first writer's value wins; every caller gets it. */
    async getOrCreateSetting(name, value) {
      await db.insertInto('settings').values({ name, value }).onConflict((oc) => oc.column('name').doNothing()).execute();
      const row = await db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirstOrThrow();
      return row.value;
    },

    async getSetting(name) {
      const row = await db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirst();
      return row?.value;
    },

    /** Compare-and-set: true when the stored value was `expected` and is now `value`. */
    async replaceSetting(name, expected, value) {
      const result = await db.updateTable('settings').set({ value }).where('name', '=', name).where('value', '=', expected).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}
