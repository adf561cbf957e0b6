import type {
  CreateRuleOutput, DeleteRuleOutput, DescribeRulesOutput, ModifyRuleOutput, Rule, SetRulePrioritiesOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Operation } from '../../../service.js';
import { ruleArn } from '../arns.js';
import type { Elbv2Context } from '../context.js';
import {
  defaultRuleNotDeletable, defaultRuleNotModifiable, listenerNotFound, priorityInUse, ruleNotFound, tooManyRules, validation,
} from '../elb-errors.js';
import type { ScopeState, StoredListener, StoredRule } from '../model.js';
import { page, queryReader, type QueryReader } from '../query-input.js';
import { defaultRuleView, ruleView } from '../views.js';
import { readActions } from './actions.js';
import { readConditions } from './conditions.js';
import { checkAssociation } from './listeners.js';
import { readTags } from './tags.js';

/** ALB's default quota of rules per load balancer, default rules not counted. */
const MAX_RULES_PER_LOAD_BALANCER = 100;
const PRIORITY_RANGE = { min: 1, max: 50000 };

/** A rule ARN found either as a rule or as a listener's default rule. */
type Found = { kind: 'rule'; rule: StoredRule; listener: StoredListener } | { kind: 'default'; listener: StoredListener };

function findRule(scope: ScopeState, arn: string): Found {
  const rule = scope.rules.get(arn);
  const owner = rule && scope.listeners.get(rule.listenerArn);
  if (rule && owner) return { kind: 'rule', rule, listener: owner };
  const listener = [...scope.listeners.values()].find((l) => l.defaultRuleArn === arn);
  if (listener) return { kind: 'default', listener };
  throw ruleNotFound();
}

function rejectTransforms(q: QueryReader): void {
  if (q.has('Transforms')) throw validation('Rule transforms are not emulated by ecs-rollout; see docs/emulator-fidelity.md');
}

export function ruleOperations(c: Elbv2Context) {
  const rulesOf = (scope: ScopeState, listenerArn: string): StoredRule[] =>
    [...scope.rules.values()].filter((r) => r.listenerArn === listenerArn).sort((a, b) => a.priority - b.priority);

  const CreateRule: Operation<unknown, CreateRuleOutput> = (input, ctx) => {
    const q = queryReader(input);
    const scope = c.scope(ctx);
    const listener = scope.listeners.get(q.requiredString('ListenerArn'));
    if (!listener) throw listenerNotFound();
    const priority = q.requiredInt('Priority', PRIORITY_RANGE);
    rejectTransforms(q);
    const conditions = readConditions(q.objectList('Conditions'));
    const actions = readActions(q.objectList('Actions'), scope, 'actions');
    const tags = readTags(q);
    if (rulesOf(scope, listener.arn).some((r) => r.priority === priority)) throw priorityInUse(priority);
    const onLoadBalancer = [...scope.rules.values()].filter((r) => scope.listeners.get(r.listenerArn)?.loadBalancerArn === listener.loadBalancerArn);
    if (onLoadBalancer.length >= MAX_RULES_PER_LOAD_BALANCER) throw tooManyRules(listener.loadBalancerArn);
    checkAssociation(scope, listener.loadBalancerArn, actions);
    const rule: StoredRule = { arn: ruleArn(listener.arn), listenerArn: listener.arn, priority, conditions, actions, tags };
    scope.rules.set(rule.arn, rule);
    c.changed();
    return { Rules: [ruleView(rule)] };
  };

  const DescribeRules: Operation<unknown, DescribeRulesOutput> = (input, ctx) => {
    const q = queryReader(input);
    const scope = c.scope(ctx);
    const listenerArn = q.string('ListenerArn');
    const arns = q.stringList('RuleArns');
    if (listenerArn === undefined && !arns) throw validation('You must specify either listener ARN or rule ARNs');
    let rules: Rule[];
    if (arns) {
      rules = arns.map((arn) => {
        const found = findRule(scope, arn);
        return found.kind === 'rule' ? ruleView(found.rule) : defaultRuleView(found.listener);
      });
    } else {
      const listener = scope.listeners.get(listenerArn as string);
      if (!listener) throw listenerNotFound();
      // Priority order, the default rule last: the order ALB evaluates them in.
      rules = [...rulesOf(scope, listener.arn).map(ruleView), defaultRuleView(listener)];
    }
    const { items, nextMarker } = page(rules, q);
    return { Rules: items, NextMarker: nextMarker };
  };

  const ModifyRule: Operation<unknown, ModifyRuleOutput> = (input, ctx) => {
    const q = queryReader(input);
    const scope = c.scope(ctx);
    const found = findRule(scope, q.requiredString('RuleArn'));
    if (found.kind === 'default') throw defaultRuleNotModifiable(found.listener.defaultRuleArn);
    rejectTransforms(q);
    const conditions = q.has('Conditions') ? readConditions(q.objectList('Conditions')) : found.rule.conditions;
    const actions = q.has('Actions') ? readActions(q.objectList('Actions'), scope, 'actions') : found.rule.actions;
    checkAssociation(scope, found.listener.loadBalancerArn, actions);
    found.rule.conditions = conditions;
    found.rule.actions = actions;
    c.changed();
    return { Rules: [ruleView(found.rule)] };
  };

  const DeleteRule: Operation<unknown, DeleteRuleOutput> = (input, ctx) => {
    const scope = c.scope(ctx);
    const found = findRule(scope, queryReader(input).requiredString('RuleArn'));
    if (found.kind === 'default') throw defaultRuleNotDeletable(found.listener.defaultRuleArn);
    scope.rules.delete(found.rule.arn);
    c.changed();
    return {};
  };

  const SetRulePriorities: Operation<unknown, SetRulePrioritiesOutput> = (input, ctx) => {
    const q = queryReader(input);
    const scope = c.scope(ctx);
    const pairs = q.objectList('RulePriorities');
    if (!pairs) throw validation("1 validation error detected: Value null at 'rulePriorities' failed to satisfy constraint: Member must not be null");
    const changes = pairs.map((p) => ({ arn: p.requiredString('RuleArn'), priority: p.requiredInt('Priority', PRIORITY_RANGE) }));
    if (new Set(changes.map((ch) => ch.arn)).size !== changes.length) throw validation('A rule ARN can appear only once in RulePriorities');
    const rules = changes.map((ch) => {
      const found = findRule(scope, ch.arn);
      if (found.kind === 'default') throw defaultRuleNotModifiable(found.listener.defaultRuleArn);
      return { rule: found.rule, priority: ch.priority };
    });
    // Checked on the result, so rules may swap priorities in one call.
    const next = (r: StoredRule): number => rules.find((x) => x.rule === r)?.priority ?? r.priority;
    for (const listenerArn of new Set(rules.map((r) => r.rule.listenerArn))) {
      const seen = new Set<number>();
      for (const rule of rulesOf(scope, listenerArn)) {
        const priority = next(rule);
        if (seen.has(priority)) throw priorityInUse(priority);
        seen.add(priority);
      }
    }
    for (const { rule, priority } of rules) rule.priority = priority;
    return { Rules: rules.map((r) => ruleView(r.rule)) };
  };

  return { CreateRule, DescribeRules, ModifyRule, DeleteRule, SetRulePriorities };
}
