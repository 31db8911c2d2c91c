import { sql } from 'kysely';
import type { Tx } from '../shared/context.ts';

export interface Team {
  id: string;
  name: string;
  description: string;
  createdAt: Date;
}

const toTeam = (r: { id: string; name: string; description: string; created_at: Date }): Team => ({
  id: r.id,
  name: r.name,
  description: r.description,
  createdAt: r.created_at,
});

export const findTeamByName = (tx: Tx, name: string) =>
  tx.selectFrom('teams').select('id').where(sql<string>`lower(name)`, '=', name.toLowerCase()).executeTakeFirst();

export const findTeamById = async (tx: Tx, id: string): Promise<Team | undefined> => {
  const row = await tx.selectFrom('teams').select(['id', 'name', 'description', 'created_at']).where('id', '=', id).executeTakeFirst();
  return row && toTeam(row);
};

export const insertTeam = async (tx: Tx, row: { name: string; description: string; created_at: Date }): Promise<Team> =>
  toTeam(await tx.insertInto('teams').values(row).returning(['id', 'name', 'description', 'created_at']).executeTakeFirstOrThrow());

export const listTeams = async (tx: Tx): Promise<Team[]> =>
  (await tx.selectFrom('teams').select(['id', 'name', 'description', 'created_at']).orderBy('name').execute()).map(toTeam);

export const listTeamMembers = (tx: Tx, teamId: string) =>
  tx
    .selectFrom('team_members')
    .innerJoin('users', 'users.id', 'team_members.user_id')
    .select(['users.id', 'users.name', 'users.email', 'users.role'])
    .where('team_members.team_id', '=', teamId)
    .orderBy('users.name')
    .execute();

/** Adds a member; adding someone who is already a member changes nothing. Returns whether it added. */
export const insertTeamMember = async (tx: Tx, teamId: string, userId: string): Promise<boolean> =>
  (await tx.insertInto('team_members').values({ team_id: teamId, user_id: userId }).onConflict((oc) => oc.doNothing()).executeTakeFirst())
    .numInsertedOrUpdatedRows === 1n;

export const deleteTeamMember = async (tx: Tx, teamId: string, userId: string): Promise<boolean> =>
  (await tx.deleteFrom('team_members').where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst()).numDeletedRows === 1n;
