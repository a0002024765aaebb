import type { EventHandler } from './event-bus.js';

/** Who listens to what, in this process. Publication rows are written for these consumers. */
export class Subscriptions {
  private readonly byType = new Map<string, Map<string, EventHandler>>();
  /** Consumers that take every event type (the JetStream forwarder). */
  private readonly catchAll = new Map<string, EventHandler>();

  addCatchAll(consumer: string, handler: EventHandler): void {
    this.catchAll.set(consumer, handler);
  }

  add(consumer: string, eventType: string, handler: EventHandler): void {
    if (!consumer || /\s/.test(consumer)) throw new Error(`consumer name "${consumer}" must be non-empty without spaces`);
    let consumers = this.byType.get(eventType);
    if (!consumers) this.byType.set(eventType, (consumers = new Map()));
    // One publication row exists per (event, consumer), so one handler per (consumer, type).
    if (consumers.has(consumer)) throw new Error(`consumer ${consumer} already subscribes to ${eventType}`);
    consumers.set(consumer, handler);
  }

  consumersOf(eventType: string): string[] {
    return [...(this.byType.get(eventType)?.keys() ?? [])];
  }

  handler(consumer: string, eventType: string): EventHandler | undefined {
    return this.byType.get(eventType)?.get(consumer) ?? this.catchAll.get(consumer);
  }

  allConsumers(): string[] {
    const all = new Set<string>();
    for (const consumers of this.byType.values()) for (const c of consumers.keys()) all.add(c);
    for (const c of this.catchAll.keys()) all.add(c);
    return [...all].sort();
  }

  entries(): Array<{ consumer: string; eventType: string }> {
    const out: Array<{ consumer: string; eventType: string }> = [];
    for (const [eventType, consumers] of this.byType) for (const consumer of consumers.keys()) out.push({ consumer, eventType });
    return out;
  }
}
