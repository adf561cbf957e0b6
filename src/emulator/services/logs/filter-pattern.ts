import { errors } from './catalogue.js';

/**
 * CloudWatch Logs filter patterns for unstructured events: terms and quoted
 * phrases, all of which must occur (`ERROR "connection refused"`), `?term`
 * alternatives of which one must occur (`?ERROR ?WARN`), and `-term`
 * exclusions (`ERROR -timeout`). Matching is case sensitive and by substring,
 * as AWS matches unstructured terms. JSON (`{ $.x = 1 }`), space-delimited
 * (`[ip, user, ...]`) and regular-expression (`%...%`) patterns are refused
 * loudly rather than matched wrongly.
 */
export type MessageFilter = (message: string) => boolean;

interface Term {
  text: string;
  kind: 'all' | 'any' | 'none';
}

export function parseFilterPattern(pattern: string | undefined): MessageFilter {
  const text = (pattern ?? '').trim();
  if (text === '') return () => true;
  if (text.startsWith('{') || text.startsWith('[') || text.startsWith('%')) {
    throw errors.unsupported(`The filter pattern ${JSON.stringify(text)} (JSON, space-delimited and regular-expression patterns)`);
  }
  const terms = tokenize(text);
  const all = terms.filter((t) => t.kind === 'all').map((t) => t.text);
  const any = terms.filter((t) => t.kind === 'any').map((t) => t.text);
  const none = terms.filter((t) => t.kind === 'none').map((t) => t.text);
  return (message) =>
    all.every((t) => message.includes(t)) &&
    (any.length === 0 || any.some((t) => message.includes(t))) &&
    !none.some((t) => message.includes(t));
}

function tokenize(text: string): Term[] {
  const terms: Term[] = [];
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === '\t') i += 1;
    if (i >= text.length) break;
    let kind: Term['kind'] = 'all';
    if (text[i] === '?') kind = 'any';
    else if (text[i] === '-') kind = 'none';
    if (kind !== 'all') i += 1;
    if (text[i] === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) throw errors.invalid('Invalid filter pattern: a quoted phrase is not closed.');
      terms.push({ text: text.slice(i + 1, end), kind });
      i = end + 1;
    } else {
      const start = i;
      while (i < text.length && text[i] !== ' ' && text[i] !== '\t') i += 1;
      const term = text.slice(start, i);
      if (term !== '') terms.push({ text: term, kind });
    }
  }
  return terms;
}
