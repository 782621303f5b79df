/** Saved indicator sets: a name, a convention and indicators with their parameters. */
import type { components } from '../../../../contracts/gen/api';
import type { Db } from '../../platform/db/database';
import { AppError } from '../../platform/errors';

export type IndicatorSet = components['schemas']['IndicatorSet'];
export type IndicatorSetInput = components['schemas']['IndicatorSetInput'];

interface Row {
  id: number;
  name: string;
  convention: IndicatorSet['convention'];
  indicators: string;
  updated_at: string;
}

export class IndicatorSetRepository {
  private readonly stmt;

  constructor(db: Db) {
    this.stmt = {
      all: db.prepare<[], Row>('SELECT * FROM indicator_sets ORDER BY name'),
      one: db.prepare<[number], Row>('SELECT * FROM indicator_sets WHERE id = ?'),
      named: db.prepare<[string], { id: number }>('SELECT id FROM indicator_sets WHERE name = ?'),
      insert: db.prepare<[string, string, string, string]>('INSERT INTO indicator_sets (name, convention, indicators, updated_at) VALUES (?, ?, ?, ?)'),
      replace: db.prepare<[string, string, string, string, number]>('UPDATE indicator_sets SET name = ?, convention = ?, indicators = ?, updated_at = ? WHERE id = ?'),
      remove: db.prepare<[number]>('DELETE FROM indicator_sets WHERE id = ?'),
    };
  }

  list(): IndicatorSet[] {
    return this.stmt.all.all().map(toSet);
  }

  get(id: number): IndicatorSet {
    const row = this.stmt.one.get(id);
    if (!row) throw new AppError('NOT_FOUND', [{ field: 'params.id', message: `no indicator set ${id}` }]);
    return toSet(row);
  }

  create(input: IndicatorSetInput): IndicatorSet {
    this.assertNameFree(input.name);
    const id = Number(this.stmt.insert.run(input.name, input.convention, JSON.stringify(input.indicators), new Date().toISOString()).lastInsertRowid);
    return this.get(id);
  }

  replace(id: number, input: IndicatorSetInput): IndicatorSet {
    this.get(id);
    this.assertNameFree(input.name, id);
    this.stmt.replace.run(input.name, input.convention, JSON.stringify(input.indicators), new Date().toISOString(), id);
    return this.get(id);
  }

  remove(id: number): void {
    this.get(id);
    this.stmt.remove.run(id);
  }

  private assertNameFree(name: string, except?: number): void {
    const other = this.stmt.named.get(name);
    if (other && other.id !== except) throw new AppError('VALUE_INVALID', [{ field: 'body.name', message: `a set named ${name} already exists` }]);
  }
}

function toSet(row: Row): IndicatorSet {
  return { id: row.id, name: row.name, convention: row.convention, indicators: JSON.parse(row.indicators) as IndicatorSet['indicators'], updatedAt: row.updated_at };
}
