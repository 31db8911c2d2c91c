export { addTeamMember, removeTeamMember } from './change-team-members.ts';
export { createTeam } from './create-team.ts';
export { getTeam, type TeamMember } from './get-team.ts';
export { listTeams } from './list-teams.ts';
export { findTeamById, listTeamMembers, type Team } from './store.ts';
