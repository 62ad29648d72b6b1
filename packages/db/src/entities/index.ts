import { ApiKey } from './api-key.ts';
import { AuditLog } from './audit-log.ts';
import { FileUpload, UserFile } from './file.ts';
import { Group, GroupMember, PermissionDefault } from './group.ts';
import { Invitation } from './invitation.ts';
import { Notification } from './notification.ts';
import { PasswordResetToken } from './password-reset-token.ts';
import { Session } from './session.ts';
import { Setting } from './setting.ts';
import { User } from './user.ts';

export * from './api-key.ts';
export * from './audit-log.ts';
export * from './file.ts';
export * from './group.ts';
export * from './invitation.ts';
export * from './notification.ts';
export * from './password-reset-token.ts';
export * from './session.ts';
export * from './setting.ts';
export * from './user.ts';

/** Every entity, for the ORM config. */
export const entities = [User, Session, Setting, AuditLog, Invitation, PasswordResetToken, UserFile, FileUpload, Notification, Group, GroupMember, PermissionDefault, ApiKey];
