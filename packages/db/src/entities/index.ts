import { Session } from './session.ts';
import { Setting } from './setting.ts';
import { User } from './user.ts';

export * from './session.ts';
export * from './setting.ts';
export * from './user.ts';

/** Every entity, for the ORM config. Later areas append theirs here. */
export const entities = [User, Session, Setting];
