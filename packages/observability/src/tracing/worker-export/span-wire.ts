import type { Attributes, HrTime, Link, SpanContext, SpanKind, SpanStatus } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';

/**
 * A finished span as it crosses to the export worker: a flat array of plain values, so that
 * `postMessage` copies it with the structured-clone fast paths (no class instances, no
 * functions). `traceState` travels serialized. Positions are fixed, see {@link encodeSpan}.
 */
export type WireSpan = [
  name: string,
  kind: SpanKind,
  traceId: string,
  spanId: string,
  traceFlags: number,
  traceState: string | undefined,
  parentSpanId: string | undefined,
  parentIsRemote: boolean | undefined,
  startTime: HrTime,
  endTime: HrTime,
  statusCode: number,
  statusMessage: string | undefined,
  attributes: Attributes,
  events: WireEvent[] | undefined,
  links: WireLink[] | undefined,
  scopeName: string,
  scopeVersion: string | undefined,
  scopeSchemaUrl: string | undefined,
  droppedAttributesCount: number,
  droppedEventsCount: number,
  droppedLinksCount: number,
  resourceIndex: number,
];

/** A span event on the wire. */
export type WireEvent = [name: string, time: HrTime, attributes: Attributes | undefined, dropped: number];

/** A span link on the wire. */
export type WireLink = [
  traceId: string,
  spanId: string,
  traceFlags: number,
  traceState: string | undefined,
  isRemote: boolean | undefined,
  attributes: Attributes | undefined,
  dropped: number,
];

/** Encodes a finished SDK span; `resourceIndex` names its resource, sent once beforehand. */
export function encodeSpan(span: ReadableSpan, resourceIndex: number): WireSpan {
  const context = span.spanContext();
  const parent = span.parentSpanContext;
  const scope = span.instrumentationScope;
  const status = span.status;
  return [
    span.name,
    span.kind,
    context.traceId,
    context.spanId,
    context.traceFlags,
    context.traceState?.serialize(),
    parent?.spanId,
    parent?.isRemote,
    span.startTime,
    span.endTime,
    status.code,
    status.message,
    span.attributes,
    span.events.length === 0 ? undefined : span.events.map(encodeEvent),
    span.links.length === 0 ? undefined : span.links.map(encodeLink),
    scope.name,
    scope.version,
    scope.schemaUrl,
    span.droppedAttributesCount,
    span.droppedEventsCount,
    span.droppedLinksCount,
    resourceIndex,
  ];
}

function encodeEvent(event: TimedEvent): WireEvent {
  return [event.name, event.time, event.attributes, event.droppedAttributesCount ?? 0];
}

function encodeLink(link: Link): WireLink {
  const context = link.context;
  return [
    context.traceId,
    context.spanId,
    context.traceFlags,
    context.traceState?.serialize(),
    context.isRemote,
    link.attributes,
    link.droppedAttributesCount ?? 0,
  ];
}

/** What {@link decodeSpan} needs besides the span: resources by index, a trace-state parser. */
export interface DecodeTables<R> {
  resources: ReadonlyMap<number, R>;
  traceState: (serialized: string) => NonNullable<SpanContext['traceState']>;
  scopes: Map<string, InstrumentationScope>;
}

/**
 * Rebuilds what an exporter reads of a {@link ReadableSpan} (in the worker). Instrumentation
 * scopes are shared objects per name, version and schema, as the SDK's are.
 */
export function decodeSpan<R>(wire: WireSpan, tables: DecodeTables<R>): ReadableSpan {
  const [name, kind, traceId, spanId, traceFlags, traceState, parentSpanId, parentIsRemote] = wire;
  const context: SpanContext = { traceId, spanId, traceFlags };
  if (traceState !== undefined) context.traceState = tables.traceState(traceState);
  const startTime = wire[8];
  const endTime = wire[9];
  const status: SpanStatus = { code: wire[10] };
  if (wire[11] !== undefined) status.message = wire[11];
  const resource = tables.resources.get(wire[21]);
  if (resource === undefined) throw new Error(`span export worker: unknown resource ${wire[21]}`);
  return {
    name,
    kind,
    spanContext: () => context,
    parentSpanContext:
      parentSpanId === undefined
        ? undefined
        : { traceId, spanId: parentSpanId, traceFlags, isRemote: parentIsRemote },
    startTime,
    endTime,
    status,
    attributes: wire[12],
    events: (wire[13] ?? []).map(decodeEvent),
    links: (wire[14] ?? []).map((link) => decodeLink(link, tables)),
    duration: hrDiff(startTime, endTime),
    ended: true,
    resource: resource as ReadableSpan['resource'],
    instrumentationScope: scopeOf(wire[15], wire[16], wire[17], tables.scopes),
    droppedAttributesCount: wire[18],
    droppedEventsCount: wire[19],
    droppedLinksCount: wire[20],
  };
}

function decodeEvent([name, time, attributes, dropped]: WireEvent): TimedEvent {
  const event: TimedEvent = { name, time, droppedAttributesCount: dropped };
  if (attributes !== undefined) event.attributes = attributes;
  return event;
}

function decodeLink<R>(wire: WireLink, tables: DecodeTables<R>): Link {
  const [traceId, spanId, traceFlags, traceState, isRemote, attributes, dropped] = wire;
  const context: SpanContext = { traceId, spanId, traceFlags };
  if (traceState !== undefined) context.traceState = tables.traceState(traceState);
  if (isRemote !== undefined) context.isRemote = isRemote;
  const link: Link = { context, droppedAttributesCount: dropped };
  if (attributes !== undefined) link.attributes = attributes;
  return link;
}

function scopeOf(
  name: string,
  version: string | undefined,
  schemaUrl: string | undefined,
  scopes: Map<string, InstrumentationScope>,
): InstrumentationScope {
  const key = `${name}@${version ?? ''}:${schemaUrl ?? ''}`;
  let scope = scopes.get(key);
  if (scope === undefined) {
    scope = {
      name,
      ...(version === undefined ? {} : { version }),
      ...(schemaUrl === undefined ? {} : { schemaUrl }),
    };
    scopes.set(key, scope);
  }
  return scope;
}

function hrDiff(start: HrTime, end: HrTime): HrTime {
  let seconds = end[0] - start[0];
  let nanos = end[1] - start[1];
  if (nanos < 0) {
    seconds -= 1;
    nanos += 1e9;
  }
  return [seconds, nanos];
}
