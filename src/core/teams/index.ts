export { createTeam } from './create-team.ts';
export { listTeams } from './list-teams.ts';
export { findTeamById, type Team } from './store.ts';
