import { aggregateOfStatistics, aggregateOfValues } from './aggregate.js';
import { errors } from './catalogue.js';
import { normalizeDimensions } from './dimensions.js';
import {
  optionalInteger, optionalList, optionalNumber, optionalRecord, optionalTimestamp, requiredNumber, requiredRecord, requiredString,
} from './input-values.js';
import { validDimensions } from './metric-queries.js';
import type { Sample } from './metric-store.js';
import { isStandardUnit } from './units.js';

const MAX_DATUMS = 1000;
const MAX_VALUES = 150;
const TWO_WEEKS_MS = 14 * 86_400_000;
const TWO_HOURS_MS = 2 * 3_600_000;
/** CloudWatch rejects magnitudes outside 2^-260 .. 2^360 (other than zero). */
const LARGEST = 2 ** 360;
const SMALLEST = 2 ** -260;

/** A namespace as PutMetricData takes it: ASCII without control characters, and never one of AWS's own. */
export function validNamespace(value: unknown, member: string): string {
  const namespace = requiredString(value, member);
  if (namespace.length < 1 || namespace.length > 255 || !/^[\x20-\x7e]+$/.test(namespace) || namespace.trim() === '' || namespace.startsWith(':')) {
    throw errors.invalid(`The value ${namespace} for parameter ${member} is invalid.`);
  }
  return namespace;
}

function checkMagnitude(n: number, member: string): number {
  const magnitude = Math.abs(n);
  if (magnitude > LARGEST || (magnitude !== 0 && magnitude < SMALLEST)) throw errors.invalid(`The value ${n} for parameter ${member} is invalid.`);
  return n;
}

/** PutMetricData's input as samples for the store, with CloudWatch's validation. */
export function samplesOfPutMetricData(input: Record<string, unknown>, nowMs: number): { namespace: string; samples: Sample[] } {
  const namespace = validNamespace(input.Namespace, 'Namespace');
  if (namespace.startsWith('AWS/')) throw errors.invalid(`The value ${namespace} for parameter Namespace is invalid: the AWS/ prefix is reserved for AWS services.`);
  const direct = optionalList(input.MetricData, 'MetricData');
  const entities = optionalList(input.EntityMetricData, 'EntityMetricData') ?? [];
  if (entities.length > 2) throw errors.invalid('The collection EntityMetricData must not have a size greater than 2.');
  // Entities only associate related telemetry; their metrics are stored like any others.
  const fromEntities = entities.flatMap((raw, i) => {
    const entity = requiredRecord(raw, `EntityMetricData.member.${i + 1}`);
    const data = optionalList(entity.MetricData, `EntityMetricData.member.${i + 1}.MetricData`) ?? [];
    return data.map((datum, j) => ({ datum, member: `EntityMetricData.member.${i + 1}.MetricData.member.${j + 1}` }));
  });
  if (direct === undefined && entities.length === 0) throw errors.missing('MetricData');
  const datums = [...(direct ?? []).map((datum, i) => ({ datum, member: `MetricData.member.${i + 1}` })), ...fromEntities];
  if (datums.length > MAX_DATUMS) throw errors.invalid(`The collection MetricData must not have a size greater than ${MAX_DATUMS}.`);
  return { namespace, samples: datums.map(({ datum, member }) => sampleOf(namespace, datum, member, nowMs)) };
}

function sampleOf(namespace: string, raw: unknown, member: string, nowMs: number): Sample {
  const datum = requiredRecord(raw, member);
  const metricName = requiredString(datum.MetricName, `${member}.MetricName`);
  if (metricName.length < 1 || metricName.length > 255) throw errors.invalid(`The value ${metricName} for parameter ${member}.MetricName is invalid.`);
  const dimensions = normalizeDimensions(validDimensions(datum.Dimensions, `${member}.Dimensions`));
  if (new Set(dimensions.map((d) => d.Name)).size !== dimensions.length) {
    throw errors.invalid(`The collection ${member}.Dimensions must not hold the same dimension name twice.`);
  }
  const timestamp = optionalTimestamp(datum.Timestamp, `${member}.Timestamp`) ?? nowMs;
  if (timestamp < nowMs - TWO_WEEKS_MS) throw errors.invalid(`The parameter ${member}.Timestamp must specify a time within the past two weeks.`);
  if (timestamp > nowMs + TWO_HOURS_MS) throw errors.invalid(`The parameter ${member}.Timestamp must specify a time no more than two hours in the future.`);
  const unit = datum.Unit ?? 'None';
  if (!isStandardUnit(unit)) throw errors.invalid(`The value ${String(unit)} for parameter ${member}.Unit is invalid.`);
  const resolution = optionalInteger(datum.StorageResolution, `${member}.StorageResolution`) ?? 60;
  if (resolution !== 1 && resolution !== 60) throw errors.invalid(`The value ${resolution} for parameter ${member}.StorageResolution is invalid: use 1 or 60.`);

  const value = optionalNumber(datum.Value, `${member}.Value`);
  const statistics = optionalRecord(datum.StatisticValues, `${member}.StatisticValues`);
  const values = optionalList(datum.Values, `${member}.Values`);
  const counts = optionalList(datum.Counts, `${member}.Counts`);
  const given = [value !== undefined && 'Value', statistics !== undefined && 'StatisticValues', values !== undefined && 'Values'].filter(Boolean);
  if (given.length > 1) {
    throw errors.invalidCombination(`The parameters ${member}.${given[0]} and ${member}.${given[1]} are mutually exclusive and you have specified both.`);
  }
  if (given.length === 0) throw errors.invalidCombination(`One of the parameters ${member}.Value, ${member}.StatisticValues or ${member}.Values must be specified.`);
  if (counts !== undefined && values === undefined) throw errors.invalidCombination(`The parameter ${member}.Counts requires ${member}.Values.`);

  const maxDistinct = Number.MAX_SAFE_INTEGER; // the store compacts when it folds the sample into a slot
  let aggregate;
  if (value !== undefined) {
    aggregate = aggregateOfValues([checkMagnitude(value, `${member}.Value`)], undefined, maxDistinct);
  } else if (statistics) {
    const path = `${member}.StatisticValues`;
    const s = {
      SampleCount: requiredNumber(statistics.SampleCount, `${path}.SampleCount`),
      Sum: checkMagnitude(requiredNumber(statistics.Sum, `${path}.Sum`), `${path}.Sum`),
      Minimum: checkMagnitude(requiredNumber(statistics.Minimum, `${path}.Minimum`), `${path}.Minimum`),
      Maximum: checkMagnitude(requiredNumber(statistics.Maximum, `${path}.Maximum`), `${path}.Maximum`),
    };
    if (s.SampleCount <= 0) throw errors.invalid(`The parameter ${path}.SampleCount must be greater than 0.`);
    if (s.Minimum > s.Maximum) throw errors.invalid(`The parameter ${path}.Minimum must not be greater than ${path}.Maximum.`);
    aggregate = aggregateOfStatistics(s, maxDistinct);
  } else {
    const list = (values ?? []).map((v, i) => checkMagnitude(requiredNumber(v, `${member}.Values.member.${i + 1}`), `${member}.Values.member.${i + 1}`));
    if (list.length > MAX_VALUES) throw errors.invalid(`The collection ${member}.Values must not have a size greater than ${MAX_VALUES}.`);
    if (list.length === 0) throw errors.invalid(`The collection ${member}.Values must not be empty.`);
    const weights = counts?.map((c, i) => requiredNumber(c, `${member}.Counts.member.${i + 1}`));
    if (weights && weights.length !== list.length) {
      throw errors.invalid(`The parameters ${member}.Values and ${member}.Counts must be arrays of the same size.`);
    }
    if (weights?.some((w) => w < 0)) throw errors.invalid(`The collection ${member}.Counts must hold only counts of 0 or more.`);
    aggregate = aggregateOfValues(list, weights, maxDistinct);
  }
  return { namespace, metricName, dimensions, timestamp, unit, highResolution: resolution === 1, aggregate };
}
