/**
 * Import problems and warnings in the UI language: the server sends a code with its facts as
 * params (FileProblem), the text is `data.problem.<code>` with those params. A code this build
 * does not know (a newer server) or a problem without one (an older server) shows its English message.
 */
import type { FileProblem } from '@/api/data';
import { i18n } from '@/plugins/i18n';

type ProblemCode = FileProblem['code'];

/** The param whose number picks the plural form (English: 1 row / 2 rows). */
const PLURAL_BY: Partial<Record<ProblemCode, string>> = {
  rowTooShort: 'fields',
  noDataRows: 'headerRows',
  rowsSkipped: 'count',
  pricesOutOfOrder: 'count',
};

/** The params as the texts use them: mapping fields and periods named in the UI language. */
function localParams(params: FileProblem['params']): Record<string, string | number> {
  const { t, te } = i18n.global;
  const fieldName = (field: string) => (te(`data.problemField.${field}`) ? t(`data.problemField.${field}`) : field);
  const out: Record<string, string | number> = { ...params };
  if (typeof params.field === 'string') {
    // `name`: the column's name in the file (TDX exports: 开盘) or else its field.
    out.name = typeof params.label === 'string' && params.label !== '' ? params.label : fieldName(params.field);
    out.field = fieldName(params.field);
  }
  if (typeof params.other === 'string') out.other = fieldName(params.other);
  if (typeof params.period === 'string' && te(`market.period.${params.period}`)) out.period = t(`market.period.${params.period}`);
  return out;
}

/** The text of an import problem or warning (without its line: callers show that as before). */
export function formatImportProblem(problem: Pick<FileProblem, 'code' | 'params' | 'message'>): string {
  const { t, te } = i18n.global;
  const code = problem.code as string | undefined;
  const key = `data.problem.${code}`;
  if (!code || typeof problem.params !== 'object' || problem.params === null || !te(key)) return problem.message;
  const params = localParams(problem.params);
  const by = PLURAL_BY[code as ProblemCode];
  const count = by === undefined ? undefined : params[by];
  return typeof count === 'number' ? t(key, params, count) : t(key, params);
}
