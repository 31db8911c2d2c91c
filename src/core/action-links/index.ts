export { actionLinkUrl, DEFAULT_LINK_TTL_HOURS, type PageLinks, pageLinks } from './page-links.ts';
export { linkSecret } from './secret.ts';
export { LINK_ACTIONS, type LinkAction, type LinkClaims, type LinkRefusal, type LinkVerdict, MAX_TOKEN_LENGTH, signLink, verifyLink } from './token.ts';
