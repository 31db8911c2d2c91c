import type { Tx } from '../shared/context.ts';
import type { FieldError } from '../shared/errors.ts';
import type { Layer } from './schedule.ts';
import { existingUserIds } from './store.ts';

/** `no such user` for each named field whose user id is not a user. */
export async function unknownUsers(tx: Tx, refs: { field: string; id: string | null | undefined }[]): Promise<FieldError[]> {
  const named = refs.filter((r): r is { field: string; id: string } => typeof r.id === 'string');
  const known = await existingUserIds(tx, named.map((r) => r.id));
  return named.filter((r) => !known.has(r.id)).map((r) => ({ field: r.field, reason: 'no such user' }));
}

export const participantRefs = (layers: Layer[]) => layers.flatMap((l, i) => l.participants.map((id, j) => ({ field: `layers.${i}.participants.${j}`, id })));
