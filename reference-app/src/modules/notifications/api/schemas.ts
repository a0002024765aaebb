import { Type } from '@sinclair/typebox';
import { IdParams, Paging, StringEnum, Timestamp, Uuid } from '../../../shared/http/schemas.js';
import type { StoredNotification } from '../application/ports.js';

export const NotificationDto = Type.Object({
  id: Uuid,
  kind: StringEnum(['order.placed.buyer', 'order.placed.seller', 'bid.placed.seller', 'bid.outbid.bidder'] as const),
  title: Type.String(),
  body: Type.String(),
  subject: Type.Object({ type: StringEnum(['listing', 'order'] as const), id: Uuid }),
  createdAt: Timestamp,
  readAt: Type.Union([Timestamp, Type.Null()]),
});

export const ListQuery = Type.Object(Paging, { additionalProperties: false });
export const NotificationParams = IdParams('id');

export function toNotificationDto(n: StoredNotification) {
  return {
    id: n.id,
    kind: n.kind,
    title: n.title,
    body: n.body,
    subject: n.subject,
    createdAt: n.createdAt.toISOString(),
    readAt: n.readAt ? n.readAt.toISOString() : null,
  };
}
