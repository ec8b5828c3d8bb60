import { Column } from 'typeorm';

/**
 * The record's fixed random key (0–255) for cell-key perturbation of the people figures
 * (docs/metrics.md, "Disclosure control"; migration DisclosureCellKeys). Drawn by PostgreSQL when
 * the row is inserted, never changed, never selected by the application and never shown: only
 * the metrics SQL adds keys up, inside the database.
 */
export const CellKeyColumn = (): PropertyDecorator => Column({ type: 'smallint', default: () => 'jsd_cell_key()', select: false, insert: false, update: false });
