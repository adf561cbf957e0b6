import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  cidrContains, conditionMatches, ruleMatches, selectRule, wildcardMatch, type RequestFacts, type RuleCondition,
} from '../../src/emulator/runtime/load-balancer/rule-matching.js';

const request = (over: Partial<RequestFacts> = {}): RequestFacts => ({
  method: 'GET',
  url: '/',
  host: 'app.example.com:8080',
  headers: {},
  sourceIp: '127.0.0.1',
  ...over,
});

test('rule matching: * and ? wildcards over the whole subject', () => {
  const table: Array<[pattern: string, subject: string, caseInsensitive: boolean, expected: boolean]> = [
    ['/api/*', '/api/users', false, true],
    ['/api/*', '/api/', false, true],
    ['/api/*', '/api', false, false],
    ['/api*', '/api', false, true],
    ['*', '', false, true],
    ['/v?/x', '/v1/x', false, true],
    ['/v?/x', '/v12/x', false, false],
    ['/a*b*c', '/aXXbYYc', false, true],
    ['/a*b*c', '/aXXbYY', false, false],
    ['/API/*', '/api/x', false, false],
    ['/API/*', '/api/x', true, true],
    ['*.example.com', 'App.Example.com', true, true],
    ['exact', 'exactly', false, false],
  ];
  for (const [pattern, subject, ci, expected] of table) {
    assert.equal(wildcardMatch(pattern, subject, ci), expected, `${pattern} ~ ${subject} (ci=${ci})`);
  }
});

test('rule matching: CIDR blocks', () => {
  const table: Array<[cidr: string, ip: string, expected: boolean]> = [
    ['127.0.0.1/32', '127.0.0.1', true],
    ['127.0.0.0/8', '127.1.2.3', true],
    ['10.0.0.0/8', '127.0.0.1', false],
    ['0.0.0.0/0', '::ffff:127.0.0.1', true],
    ['::1/128', '::1', true],
    ['::1/128', '127.0.0.1', false],
    ['not-a-cidr', '127.0.0.1', false],
    ['127.0.0.1/33', '127.0.0.1', false],
  ];
  for (const [cidr, ip, expected] of table) assert.equal(cidrContains(cidr, ip), expected, `${cidr} holds ${ip}`);
});

test('rule matching: each condition type against requests', () => {
  const table: Array<{ name: string; condition: RuleCondition; request: Partial<RequestFacts>; expected: boolean }> = [
    { name: 'path matches', condition: { field: 'path-pattern', values: ['/api/*'] }, request: { url: '/api/v1?x=1' }, expected: true },
    { name: 'path ignores the query', condition: { field: 'path-pattern', values: ['/a'] }, request: { url: '/a?/b' }, expected: true },
    { name: 'path is case sensitive', condition: { field: 'path-pattern', values: ['/api/*'] }, request: { url: '/API/v1' }, expected: false },
    { name: 'path: any value', condition: { field: 'path-pattern', values: ['/x', '/img/*'] }, request: { url: '/img/a.png' }, expected: true },
    { name: 'host ignores port and case', condition: { field: 'host-header', values: ['*.EXAMPLE.com'] }, request: {}, expected: true },
    { name: 'host mismatch', condition: { field: 'host-header', values: ['other.example.com'] }, request: {}, expected: false },
    {
      name: 'header by name, value case-insensitive',
      condition: { field: 'http-header', name: 'X-Canary', values: ['TRUE'] },
      request: { headers: { 'x-canary': 'true' } },
      expected: true,
    },
    { name: 'header absent', condition: { field: 'http-header', name: 'X-Canary', values: ['*'] }, request: {}, expected: false },
    { name: 'method exact', condition: { field: 'http-request-method', values: ['POST', 'PUT'] }, request: { method: 'PUT' }, expected: true },
    { name: 'method case sensitive', condition: { field: 'http-request-method', values: ['get'] }, request: { method: 'GET' }, expected: false },
    {
      name: 'query key and value',
      condition: { field: 'query-string', values: [{ key: 'version', value: 'v2' }] },
      request: { url: '/?a=1&Version=V2' },
      expected: true,
    },
    {
      name: 'query value without key',
      condition: { field: 'query-string', values: [{ key: undefined, value: 'blue*' }] },
      request: { url: '/?color=bluegreen' },
      expected: true,
    },
    { name: 'query absent', condition: { field: 'query-string', values: [{ key: 'a', value: '*' }] }, request: { url: '/' }, expected: false },
    { name: 'source ip', condition: { field: 'source-ip', values: ['10.0.0.0/8', '127.0.0.0/8'] }, request: {}, expected: true },
    { name: 'source ip outside', condition: { field: 'source-ip', values: ['192.0.2.0/24'] }, request: {}, expected: false },
  ];
  for (const row of table) assert.equal(conditionMatches(row.condition, request(row.request)), row.expected, row.name);
});

test('rule matching: all conditions of a rule must match', () => {
  const conditions: RuleCondition[] = [
    { field: 'path-pattern', values: ['/api/*'] },
    { field: 'http-request-method', values: ['GET'] },
  ];
  assert.equal(ruleMatches(conditions, request({ url: '/api/x' })), true);
  assert.equal(ruleMatches(conditions, request({ url: '/api/x', method: 'POST' })), false);
  assert.equal(ruleMatches(conditions, request({ url: '/web' })), false);
});

test('rule selection: lowest priority first, first match wins, else the default', () => {
  const rules = [
    { name: 'catch-all', priority: 50000, conditions: [{ field: 'path-pattern', values: ['*'] }] as RuleCondition[] },
    { name: 'api', priority: 10, conditions: [{ field: 'path-pattern', values: ['/api/*'] }] as RuleCondition[] },
    { name: 'canary', priority: 5, conditions: [{ field: 'http-header', name: 'x-canary', values: ['1'] }] as RuleCondition[] },
  ];
  const table: Array<[Partial<RequestFacts>, string | undefined]> = [
    [{ url: '/api/a' }, 'api'],
    [{ url: '/api/a', headers: { 'x-canary': '1' } }, 'canary'],
    [{ url: '/web' }, 'catch-all'],
  ];
  for (const [req, expected] of table) assert.equal(selectRule(rules, request(req))?.name, expected, JSON.stringify(req));
  assert.equal(selectRule(rules.slice(1), request({ url: '/web' })), undefined, 'no match: the default rule');
  assert.equal(selectRule([], request()), undefined);
});
