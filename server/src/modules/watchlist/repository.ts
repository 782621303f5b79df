/** Watchlists: ordered lists of ordered symbols. Every change is one transaction. */
import type { components } from '../../../../contracts/gen/api';
import type { Db } from '../../platform/db/database';
import { AppError } from '../../platform/errors';

export type Watchlist = components['schemas']['Watchlist'];

interface Row {
  id: number;
  name: string;
  position: number;
  updated_at: string;
}

export class WatchlistRepository {
  private readonly stmt;

  constructor(private readonly db: Db) {
    this.stmt = {
      all: db.prepare<[], Row>('SELECT * FROM watchlists ORDER BY position, id'),
      one: db.prepare<[number], Row>('SELECT * FROM watchlists WHERE id = ?'),
      symbols: db.prepare<[number], { symbol: string }>('SELECT symbol FROM watchlist_items WHERE watchlist_id = ? ORDER BY position'),
      insert: db.prepare('INSERT INTO watchlists (name, position, updated_at) VALUES (?, (SELECT count(*) FROM watchlists), ?)'),
      rename: db.prepare('UPDATE watchlists SET name = ?, updated_at = ? WHERE id = ?'),
      setPosition: db.prepare('UPDATE watchlists SET position = ? WHERE id = ?'),
      touch: db.prepare('UPDATE watchlists SET updated_at = ? WHERE id = ?'),
      remove: db.prepare('DELETE FROM watchlists WHERE id = ?'),
      clearItems: db.prepare('DELETE FROM watchlist_items WHERE watchlist_id = ?'),
      addItem: db.prepare('INSERT INTO watchlist_items (watchlist_id, symbol, position) VALUES (?, ?, ?)'),
    };
  }

  list(): Watchlist[] {
    return this.stmt.all.all().map((row) => this.toWatchlist(row));
  }

  get(id: number): Watchlist {
    const row = this.stmt.one.get(id);
    if (!row) throw new AppError('NOT_FOUND', [{ field: 'params.id', message: `no watchlist ${id}` }]);
    return this.toWatchlist(row);
  }

  create(name: string, symbols: string[] = []): Watchlist {
    return this.db.transaction(() => {
      const id = Number(this.stmt.insert.run(name, new Date().toISOString()).lastInsertRowid);
      this.writeSymbols(id, symbols);
      return this.get(id);
    }).immediate();
  }

  update(id: number, patch: { name?: string; position?: number; symbols?: string[] }): Watchlist {
    return this.db.transaction(() => {
      this.get(id);
      const now = new Date().toISOString();
      if (patch.name !== undefined) this.stmt.rename.run(patch.name, now, id);
      if (patch.symbols !== undefined) this.writeSymbols(id, patch.symbols);
      if (patch.position !== undefined) this.move(id, patch.position);
      this.stmt.touch.run(now, id);
      return this.get(id);
    }).immediate();
  }

  remove(id: number): void {
    this.db.transaction(() => {
      this.get(id);
      this.stmt.remove.run(id);
      this.renumber(this.stmt.all.all().map((r) => r.id));
    }).immediate();
  }

  /** Adds a symbol at `position` (default: the end); one already in the list moves there. */
  addSymbol(id: number, symbol: string, position?: number): Watchlist {
    return this.db.transaction(() => {
      const symbols = this.get(id).symbols.filter((s) => s !== symbol);
      symbols.splice(Math.min(position ?? symbols.length, symbols.length), 0, symbol);
      return this.update(id, { symbols });
    }).immediate();
  }

  removeSymbol(id: number, symbol: string): Watchlist {
    return this.db.transaction(() => {
      const list = this.get(id);
      if (!list.symbols.includes(symbol)) throw new AppError('NOT_FOUND', [{ field: 'params.symbol', message: `${symbol} is not in this watchlist` }]);
      return this.update(id, { symbols: list.symbols.filter((s) => s !== symbol) });
    }).immediate();
  }

  private writeSymbols(id: number, symbols: string[]): void {
    this.stmt.clearItems.run(id);
    symbols.forEach((symbol, i) => this.stmt.addItem.run(id, symbol, i));
  }

  private move(id: number, position: number): void {
    const ids = this.stmt.all.all().map((r) => r.id).filter((x) => x !== id);
    ids.splice(Math.min(position, ids.length), 0, id);
    this.renumber(ids);
  }

  private renumber(ids: number[]): void {
    ids.forEach((x, i) => this.stmt.setPosition.run(i, x));
  }

  private toWatchlist(row: Row): Watchlist {
    return {
      id: row.id,
      name: row.name,
      position: row.position,
      symbols: this.stmt.symbols.all(row.id).map((r) => r.symbol),
      updatedAt: row.updated_at,
    };
  }
}
