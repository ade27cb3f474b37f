import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { BackendChoice, ChoiceStore } from '../backend-select';

/**
 * Browser-only: measured backend choices, one per device + model, in their own
 * small database (its name starts with "radlens", so Settings' "delete
 * everything" removes it and the next start measures again).
 */
interface ChoiceDb extends DBSchema {
  choices: { key: string; value: BackendChoice };
}

export const CHOICE_DB_NAME = 'radlens-backend-choice';

export class IdbChoiceStore implements ChoiceStore {
  private db: Promise<IDBPDatabase<ChoiceDb>> | null = null;
  constructor(private readonly name = CHOICE_DB_NAME) {}

  private open(): Promise<IDBPDatabase<ChoiceDb>> {
    this.db ??= openDB<ChoiceDb>(this.name, 1, { upgrade: (db) => void db.createObjectStore('choices') });
    return this.db;
  }
  async get(key: string): Promise<BackendChoice | undefined> {
    return (await this.open()).get('choices', key);
  }
  async put(choice: BackendChoice): Promise<void> {
    await (await this.open()).put('choices', choice, choice.key);
  }
  async clear(): Promise<void> {
    await (await this.open()).clear('choices');
  }
}
