import { z } from 'zod';

/** A snowflake in a request body. */
export const snowflakeSchema = z.string().regex(/^\d{17,20}$/, 'Value is not snowflake.');

/** A permission bitfield string. */
export const permissionsSchema = z.string().regex(/^\d{1,20}$/, 'Value is not a valid permissions bitfield.');
