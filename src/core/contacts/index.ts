export { type AddContactMethodInput, addContactMethod } from './add-contact-method.ts';
export { CONTACT_TYPES, type ContactMethod, type NotificationRule, type Readiness, readinessOf } from './contact.ts';
export { deleteContactMethod } from './delete-contact-method.ts';
export { type Contacts, getContacts } from './get-contacts.ts';
export { contactJobs, type ContactSenders, type VerificationMessage } from './jobs.ts';
export { type AddNotificationRuleInput, addNotificationRule, deleteNotificationRule } from './notification-rules.ts';
export { listReadiness, type PersonReadiness } from './list-readiness.ts';
export { sendContactCode } from './send-contact-code.ts';
export { verifyContactMethod } from './verify-contact-method.ts';
